package io.recur.encode;

import io.recur.corpus.Example;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.function.ToIntFunction;

/**
 * Groups examples into minibatches. With bucketing, examples are sorted by length first so that
 * each batch holds sequences of similar length and little of the computation is spent on padding;
 * the order of the batches is then shuffled (seeded) so training does not see lengths in order.
 */
public final class LengthBatcher {
    private final int batchSize;
    private final boolean bucketing;
    private final ToIntFunction<Example> length;

    public LengthBatcher(int batchSize, boolean bucketing, ToIntFunction<Example> length) {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, was " + batchSize);
        this.batchSize = batchSize;
        this.bucketing = bucketing;
        this.length = length;
    }

    public List<List<Example>> batches(Iterator<Example> examples, long seed) {
        List<Example> all = new ArrayList<>();
        examples.forEachRemaining(all::add);
        if (bucketing) {
            // Ties broken by source so the batches do not depend on the order Spark delivered rows in.
            all.sort(Comparator.comparingInt(length).thenComparing(Example::source));
        }
        List<List<Example>> batches = new ArrayList<>();
        for (int from = 0; from < all.size(); from += batchSize)
            batches.add(List.copyOf(all.subList(from, Math.min(all.size(), from + batchSize))));
        if (bucketing) Collections.shuffle(batches, new Random(seed));
        return batches;
    }
}
