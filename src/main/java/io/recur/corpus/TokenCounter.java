package io.recur.corpus;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function;
import scala.Tuple2;

import java.io.Serializable;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * Counts tokens, labels and tags of examples in Spark (reduceByKey), bringing only the result to
 * the driver. Every list is ordered by count descending, then token ascending, so equal counts are
 * broken the same way on every run.
 */
public final class TokenCounter {
    private TokenCounter() {}

    /** The at most {@code maxSize} most frequent tokens occurring at least {@code minCount} times. */
    public static List<TokenCount> topTokens(JavaRDD<Example> train, int minCount, int maxSize) {
        if (maxSize < 0) throw new IllegalArgumentException("maxSize must be >= 0, was " + maxSize);
        if (maxSize == 0) return List.of();
        return count(train.flatMap(e -> e.tokens().iterator()))
                .filter(c -> c._2() >= minCount)
                .takeOrdered(maxSize, new MostFrequentFirst())
                .stream().map(c -> new TokenCount(c._1(), c._2())).toList();
    }

    /**
     * The keys {@code keysOf} gives the tokens counted fewer than {@code minCount} times, each with
     * the occurrences of those tokens, keeping the keys counted at least {@code minCount} times:
     * the classes that stand for the tokens too rare to keep.
     */
    public static List<TokenCount> rareTokenKeys(JavaRDD<Example> train, int minCount,
                                                 Function<String, List<String>> keysOf) {
        JavaPairRDD<String, Long> keys = count(train.flatMap(e -> e.tokens().iterator()))
                .filter(c -> c._2() < minCount)
                .flatMapToPair(c -> keysOf.call(c._1()).stream().map(k -> new Tuple2<>(k, c._2())).iterator())
                .reduceByKey(Long::sum)
                .filter(c -> c._2() >= minCount);
        return all(keys);
    }

    /** Every label with its count; empty when the examples carry no labels. */
    public static List<TokenCount> labels(JavaRDD<Example> train) {
        return all(count(train.map(Example::label).filter(Objects::nonNull)));
    }

    /** Every tag with its count; empty when the examples carry no tags. */
    public static List<TokenCount> tags(JavaRDD<Example> train) {
        return all(count(train.filter(e -> e.tags() != null).flatMap(e -> e.tags().iterator())));
    }

    private static JavaPairRDD<String, Long> count(JavaRDD<String> tokens) {
        // Counted per partition first: a pair and a boxed 1 per token made most of the counting time.
        return tokens.mapPartitionsToPair((Iterator<String> it) -> {
            HashMap<String, long[]> counts = new HashMap<>();
            it.forEachRemaining(t -> counts.computeIfAbsent(t, k -> new long[1])[0]++);
            return counts.entrySet().stream().map(e -> new Tuple2<>(e.getKey(), e.getValue()[0])).iterator();
        }).reduceByKey(Long::sum);
    }

    // Labels, tags and unknown-word classes are few, so all of them are collected.
    private static List<TokenCount> all(JavaPairRDD<String, Long> counts) {
        return counts.collect().stream()
                .map(c -> new TokenCount(c._1(), c._2()))
                .sorted(TokenCount.MOST_FREQUENT_FIRST)
                .toList();
    }

    /** takeOrdered ships its comparator to the executors, so it must be serializable. */
    private static final class MostFrequentFirst implements Comparator<Tuple2<String, Long>>, Serializable {
        @Override
        public int compare(Tuple2<String, Long> a, Tuple2<String, Long> b) {
            int byCount = Long.compare(b._2(), a._2());
            return byCount != 0 ? byCount : a._1().compareTo(b._1());
        }
    }
}
