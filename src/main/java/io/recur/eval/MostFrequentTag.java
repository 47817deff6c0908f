package io.recur.eval;

import io.recur.corpus.Example;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The tagging baseline: each word gets the tag it had most often in the training split, and a
 * word the training split never had gets the most frequent tag overall. Ties go to the tag that
 * sorts first, so the baseline is the same on every run. Its word set is also what makes a
 * held-out token "unseen" ({@link #seen}).
 */
public final class MostFrequentTag implements Serializable {
    private final HashMap<String, String> byWord;
    private final String overall;

    MostFrequentTag(Map<String, String> byWord, String overall) {
        this.byWord = new HashMap<>(byWord);
        this.overall = overall;
    }

    /** Counts (word, tag) pairs of the tagged training examples in Spark; only the result reaches the driver. */
    public static MostFrequentTag fit(JavaRDD<Example> train) {
        var pairCounts = train.filter(e -> e.tags() != null)
                .flatMapToPair(e -> {
                    var pairs = new ArrayList<Tuple2<Tuple2<String, String>, Long>>(e.tokens().size());
                    for (int i = 0; i < e.tokens().size(); i++)
                        pairs.add(new Tuple2<>(new Tuple2<>(e.tokens().get(i), e.tags().get(i)), 1L));
                    return pairs.iterator();
                })
                .reduceByKey(Long::sum)
                .cache();
        try {
            Map<String, String> byWord = pairCounts
                    .mapToPair(p -> new Tuple2<>(p._1()._1(), new Tuple2<>(p._1()._2(), p._2())))
                    .reduceByKey(MostFrequentTag::moreFrequent)
                    .mapValues(Tuple2::_1)
                    .collectAsMap();
            Tuple2<String, Long> overall = pairCounts
                    .mapToPair(p -> new Tuple2<>(p._1()._2(), p._2()))
                    .reduceByKey(Long::sum)
                    .reduce(MostFrequentTag::moreFrequent);
            return new MostFrequentTag(byWord, overall._1());
        } finally {
            pairCounts.unpersist(false);
        }
    }

    private static Tuple2<String, Long> moreFrequent(Tuple2<String, Long> a, Tuple2<String, Long> b) {
        int byCount = Long.compare(a._2(), b._2());
        if (byCount != 0) return byCount > 0 ? a : b;
        return a._1().compareTo(b._1()) <= 0 ? a : b;
    }

    /** The baseline's tag for a word. */
    public String tag(String word) {
        return byWord.getOrDefault(word, overall);
    }

    /** Every tag the baseline can predict. */
    public Set<String> tags() {
        Set<String> tags = new TreeSet<>(byWord.values());
        tags.add(overall);
        return tags;
    }

    /** Whether the word occurs in the training split (at all, whatever the vocabulary's min-count). */
    public boolean seen(String word) {
        return byWord.containsKey(word);
    }
}
