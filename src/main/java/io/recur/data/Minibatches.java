package io.recur.data;

import io.recur.corpus.Example;
import io.recur.encode.BatchShape;
import io.recur.encode.LengthBatcher;
import io.recur.encode.SequenceEncoder;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.dataset.DataSet;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.List;

/** Turns example RDDs into minibatch RDDs. */
public final class Minibatches {
    private Minibatches() {}

    /**
     * Balances examples over {@code partitions} (round robin on a stable index, so every partition
     * gets the same number give or take one, and a similar mix of lengths), then batches each
     * partition with the length batcher. Each partition keeps the examples in index order: a
     * shuffle delivers them in the order its blocks arrive, which on a cluster differs from run to
     * run, and the batcher's minibatches (and so the model) would follow it.
     */
    static JavaRDD<DataSet> balanced(JavaRDD<Example> examples, Broadcast<SequenceEncoder> encoder, int batchSize,
                                     boolean bucketing, int partitions, long seed) {
        JavaRDD<Example> spread = examples.zipWithIndex()
                .mapToPair(p -> new Tuple2<>(p._2(), p._1()))
                .repartitionAndSortWithinPartitions(new RoundRobin(partitions))
                .values();
        return batch(spread, encoder, batchSize, bucketing, seed);
    }

    /** Example {@code i} to partition {@code i mod partitions}. */
    private static final class RoundRobin extends Partitioner {
        private final int partitions;

        RoundRobin(int partitions) {
            this.partitions = partitions;
        }

        @Override
        public int numPartitions() {
            return partitions;
        }

        @Override
        public int getPartition(Object index) {
            return (int) ((Long) index % partitions);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RoundRobin r && r.partitions == partitions;
        }

        @Override
        public int hashCode() {
            return partitions;
        }
    }

    /** @param encoder broadcast, so that its vocabulary is not serialized into every stage's closure */
    public static JavaRDD<DataSet> batch(JavaRDD<Example> examples, Broadcast<SequenceEncoder> encoder, int batchSize,
                                  boolean bucketing, long seed) {
        return examples.mapPartitionsWithIndex((index, it) -> {
            SequenceEncoder e = encoder.value();
            LengthBatcher batcher = new LengthBatcher(batchSize, bucketing, e::steps);
            List<DataSet> out = new ArrayList<>();
            for (List<Example> b : batcher.batches(it, seed + index)) out.add(e.encode(b));
            return out.iterator();
        }, true);
    }

    public static BatchShape shape(JavaRDD<DataSet> batches) {
        return batches.map(BatchShape::of).fold(BatchShape.none(), BatchShape::plus);
    }
}
