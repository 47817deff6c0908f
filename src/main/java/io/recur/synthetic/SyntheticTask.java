package io.recur.synthetic;

import io.recur.corpus.Split;
import org.nd4j.linalg.dataset.DataSet;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A benchmark whose examples are generated, never read: example {@code i} of a split follows from
 * the job seed, the split and {@code i} alone, so executors generate their own partitions and two
 * runs with one seed see the same examples whatever the number of partitions or the batch size.
 * Batches are {@code NCW} with a features mask of ones (all sequences have the same length).
 */
public sealed interface SyntheticTask extends Serializable permits AddingProblem, CopyMemory, MultiplicationProblem {

    /** Input channels per step. */
    int inputSize();

    /** Output units: 1 for a regression, the number of symbols for a per-step softmax. */
    int outputSize();

    /** Time steps of every sequence. */
    int sequenceLength();

    /** Examples {@code first} to {@code first + count - 1} of {@code split} as one minibatch. */
    DataSet batch(long seed, Split split, long first, int count);

    /** The random source of one example. */
    static SplittableRandom exampleRandom(long seed, Split split, long example) {
        // SplittableRandom scrambles its seed, so neighbouring (seed, split, example) give unrelated streams.
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + (long) split.ordinal() * 0xC2B2AE3D27D4EB4FL
                + example * 0x165667B19E3779F9L);
    }

    /**
     * The minibatches of partition {@code index} of {@code partitions} of a split of {@code examples}
     * examples: each partition holds a contiguous range of example numbers, partitions differ in
     * size by at most one example, and the last batch of a partition may be short.
     */
    default List<DataSet> partition(long seed, Split split, int examples, int partitions, int index, int batchSize) {
        int size = examples / partitions + (index < examples % partitions ? 1 : 0);
        long first = (long) index * (examples / partitions) + Math.min(index, examples % partitions);
        List<DataSet> batches = new ArrayList<>();
        for (int done = 0; done < size; done += batchSize)
            batches.add(batch(seed, split, first + done, Math.min(batchSize, size - done)));
        return batches;
    }
}
