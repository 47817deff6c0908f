package io.recur.baseline;

import io.recur.corpus.Example;
import io.recur.vocab.Vocabulary;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An interpolated Witten-Bell n-gram model over a network's token ids: {@code P(w | h) =
 * (c(h w) + T(h) P(w | h')) / (c(h) + T(h))}, where {@code h'} is {@code h} without its oldest token,
 * {@code T(h)} the number of distinct tokens seen after {@code h}, and the recursion ends in the
 * uniform distribution over the {@link #outcomes} ids a network can be asked to predict (all but
 * padding and {@code <bos>}). Each level sums to one, so every order's distribution does.
 *
 * <p>A sequence is read as the network reads it ({@code io.recur.encode.SequenceEncoder}): the
 * history starts with {@code <bos>}, the tokens are the vocabulary's ids (a token outside it is
 * {@code <unk>}), and {@code <eos>} is the last target unless the example was truncated. A
 * history never reaches back past {@code <bos>}: each example is a document of its own.
 *
 * <p>N-grams are keyed by strings of one char per id (two for a vocabulary above 65,536 ids):
 * exact, and far smaller than boxed id lists in a table that is broadcast to the executors.
 */
public final class WittenBellNgram implements Serializable {
    private final int maxOrder;
    private final int outcomes;
    private final boolean wideIds;
    /** Training count of each n-gram of length 1..maxOrder ({@code c(h w)}). */
    private final HashMap<String, Long> grams;
    /** Per history of length 0..maxOrder-1: {total tokens seen after it, distinct tokens after it}. */
    private final HashMap<String, long[]> histories;

    private WittenBellNgram(int maxOrder, int outcomes, boolean wideIds, Map<String, Long> grams,
                            Map<String, long[]> histories) {
        this.maxOrder = maxOrder;
        this.outcomes = outcomes;
        this.wideIds = wideIds;
        this.grams = new HashMap<>(grams);
        this.histories = new HashMap<>(histories);
    }

    /**
     * Counts the n-grams of {@code train} up to {@code maxOrder} with Spark (one {@code reduceByKey}
     * on the n-grams, one on their histories); only the count table reaches the driver.
     */
    public static WittenBellNgram fit(JavaRDD<Example> train, Vocabulary vocab, int maxOrder) {
        if (maxOrder < 1) throw new IllegalArgumentException("maxOrder must be >= 1, was " + maxOrder);
        boolean wide = vocab.size() > 1 << 16;
        var counted = train.flatMapToPair(e -> {
                    int[] seq = sequence(e, vocab);
                    List<Tuple2<String, Long>> out = new ArrayList<>();
                    for (int t = 1; t < seq.length; t++)
                        for (int j = 0; j < maxOrder && j <= t; j++) out.add(new Tuple2<>(key(seq, t - j, t + 1, wide), 1L));
                    return out.iterator();
                })
                .reduceByKey(Long::sum)
                .cache();
        try {
            int width = wide ? 2 : 1;
            Map<String, long[]> histories = counted
                    .mapToPair(g -> new Tuple2<>(g._1().substring(0, g._1().length() - width), new long[]{g._2(), 1}))
                    .reduceByKey((a, b) -> new long[]{a[0] + b[0], a[1] + b[1]})
                    .collectAsMap();
            return new WittenBellNgram(maxOrder, vocab.size() - 2, wide, counted.collectAsMap(), histories);
        } finally {
            counted.unpersist(false);
        }
    }

    /** The ids the network reads and predicts: {@code <bos>}, the tokens, then {@code <eos>} unless truncated. */
    static int[] sequence(Example e, Vocabulary vocab) {
        int[] ids = vocab.encode(e.tokens());
        int[] seq = new int[ids.length + (e.truncated() ? 1 : 2)];
        seq[0] = Vocabulary.BOS_ID;
        System.arraycopy(ids, 0, seq, 1, ids.length);
        if (!e.truncated()) seq[seq.length - 1] = Vocabulary.EOS_ID;
        return seq;
    }

    /**
     * The probability of {@code seq[t]} after {@code seq[0..t-1]} under each order 1..maxOrder:
     * element {@code k - 1} is the order-{@code k} model's, which reads the last {@code k - 1} ids.
     */
    public double[] probabilities(int[] seq, int t) {
        double[] byOrder = new double[maxOrder];
        double p = 1.0 / outcomes;
        // A history reaching before <bos>, or not seen in training, keeps the shorter history's
        // estimate; every longer history ends with it, so it is unseen too.
        boolean seen = true;
        for (int j = 0; j < maxOrder; j++) {
            if (seen && j <= t) {
                long[] h = histories.get(key(seq, t - j, t, wideIds));
                if (h == null) {
                    seen = false;
                } else {
                    long c = grams.getOrDefault(key(seq, t - j, t + 1, wideIds), 0L);
                    p = (c + h[1] * p) / (h[0] + h[1]);
                }
            }
            byOrder[j] = p;
        }
        return byOrder;
    }

    /** {@code P(target | history)} under the order-{@code order} model; {@code history} starts with {@code <bos>}. */
    public double probability(int[] history, int target, int order) {
        int[] seq = Arrays.copyOf(history, history.length + 1);
        seq[history.length] = target;
        return probabilities(seq, history.length)[order - 1];
    }

    /** How many ids can be predicted: the vocabulary but padding and {@code <bos>}. */
    public int outcomes() {
        return outcomes;
    }

    public int maxOrder() {
        return maxOrder;
    }

    /** Distinct n-grams counted, all orders together: the size of the broadcast table. */
    public int grams() {
        return grams.size();
    }

    private static String key(int[] seq, int from, int to, boolean wide) {
        StringBuilder b = new StringBuilder((to - from) * (wide ? 2 : 1));
        for (int i = from; i < to; i++) {
            if (wide) b.append((char) (seq[i] >>> 16));
            b.append((char) seq[i]);
        }
        return b.toString();
    }
}
