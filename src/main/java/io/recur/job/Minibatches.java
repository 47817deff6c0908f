package io.recur.job;

import io.recur.corpus.Example;
import io.recur.encode.BatchShape;
import io.recur.encode.LengthBatcher;
import io.recur.encode.SequenceEncoder;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.dataset.DataSet;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.List;

/** Turns example RDDs into minibatch RDDs. */
final class Minibatches {
    private Minibatches() {}

    /**
     * Balances examples over {@code partitions} (round robin on a stable index, so every partition
     * gets the same number give or take one, and a similar mix of lengths), then batches each
     * partition with the length batcher.
     */
    static JavaRDD<DataSet> balanced(JavaRDD<Example> examples, Broadcast<SequenceEncoder> encoder, int batchSize,
                                     boolean bucketing, int partitions, long seed) {
        JavaRDD<Example> spread = examples.zipWithIndex()
                .mapToPair(p -> new Tuple2<>(p._2() % partitions, p._1()))
                .partitionBy(new HashPartitioner(partitions))
                .values();
        return batch(spread, encoder, batchSize, bucketing, seed);
    }

    /** @param encoder broadcast, so that its vocabulary is not serialized into every stage's closure */
    static JavaRDD<DataSet> batch(JavaRDD<Example> examples, Broadcast<SequenceEncoder> encoder, int batchSize,
                                  boolean bucketing, long seed) {
        return examples.mapPartitionsWithIndex((index, it) -> {
            SequenceEncoder e = encoder.value();
            LengthBatcher batcher = new LengthBatcher(batchSize, bucketing, e::steps);
            List<DataSet> out = new ArrayList<>();
            for (List<Example> b : batcher.batches(it, seed + index)) out.add(e.encode(b));
            return out.iterator();
        }, true);
    }

    static BatchShape shape(JavaRDD<DataSet> batches) {
        return batches.map(BatchShape::of).fold(BatchShape.none(), BatchShape::plus);
    }
}
