package io.recur.baseline;

import io.recur.corpus.Example;
import io.recur.eval.HeldOutMetrics;
import io.recur.eval.TagTally;
import io.recur.vocab.LabelSet;
import io.recur.vocab.WordShape;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tagging baseline beyond the most frequent tag: a word seen in training gets its most
 * frequent tag; an unseen word gets the tag most frequent among training words seen once with the
 * same shape (capitalised, all capitals, digits, hyphen, lower case) and the longest suffix (up to
 * {@link WordShape#MAX_SUFFIX} characters) such words had, the way unknown words are guessed in TnT (Brants
 * 2000): words seen once resemble unseen words more than frequent words do. Counted with Spark;
 * scored on the executors over the tokens the network is scored on (those whose tag is in the
 * tag set).
 */
public final class SuffixTagger implements StrongBaseline, Serializable {
        private final LabelSet tags;
    private HashMap<String, String> byWord;
    private HashMap<String, String> byFeature;
    private String overall;

    public SuffixTagger(LabelSet tags) {
        this.tags = tags;
    }

    @Override
    public Map<String, Object> fitAndScore(JavaSparkContext sc, JavaRDD<Example> train, JavaRDD<Example> validation,
                                           JavaRDD<Example> test) {
        fit(train);
        Broadcast<SuffixTagger> shipped = sc.broadcast(this);
        try {
            TagTally tally = test.mapPartitions(it -> {
                SuffixTagger tagger = shipped.value();
                TagTally t = new TagTally(tags.size());
                while (it.hasNext()) tagger.score(it.next(), t);
                return List.of(t).iterator();
            }).reduce(TagTally::merge);
            Map<String, Object> m = HeldOutMetrics.ofTagging(tally, tags.labels(), false);
            m.put("name", "most frequent tag; unseen words by suffix and shape");
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("maxSuffix", WordShape.MAX_SUFFIX);
            settings.put("unseenWordsLearnedFrom", "training words seen once");
            settings.put("wordsSeen", byWord.size());
            settings.put("suffixShapeKeys", byFeature.size());
            m.put("settings", settings);
            return m;
        } finally {
            shipped.destroy();
        }
    }

    void fit(JavaRDD<Example> train) {
        var pairs = train.filter(e -> e.tags() != null)
                .flatMapToPair(e -> {
                    var out = new ArrayList<Tuple2<Tuple2<String, String>, Long>>(e.tokens().size());
                    for (int i = 0; i < e.tokens().size(); i++)
                        out.add(new Tuple2<>(new Tuple2<>(e.tokens().get(i), e.tags().get(i)), 1L));
                    return out.iterator();
                })
                .reduceByKey(Long::sum)
                .cache();
        try {
            var tagCountsByWord = pairs.mapToPair(p -> new Tuple2<>(p._1()._1(), new Tuple2<>(p._1()._2(), p._2())));
            byWord = new HashMap<>(tagCountsByWord.reduceByKey(SuffixTagger::moreFrequent).mapValues(Tuple2::_1)
                    .collectAsMap());
            // A word's total count, with one of its tags: for a word seen once, its only tag.
            var seenOnce = tagCountsByWord
                    .reduceByKey((a, b) -> new Tuple2<>(a._1(), a._2() + b._2()))
                    .filter(w -> w._2()._2() == 1);
            byFeature = new HashMap<>(seenOnce
                    .flatMapToPair(w -> {
                        var out = new ArrayList<Tuple2<Tuple2<String, String>, Long>>();
                        for (String f : WordShape.features(w._1())) out.add(new Tuple2<>(new Tuple2<>(f, w._2()._1()), 1L));
                        return out.iterator();
                    })
                    .reduceByKey(Long::sum)
                    .mapToPair(p -> new Tuple2<>(p._1()._1(), new Tuple2<>(p._1()._2(), p._2())))
                    .reduceByKey(SuffixTagger::moreFrequent)
                    .mapValues(Tuple2::_1)
                    .collectAsMap());
            overall = pairs.mapToPair(p -> new Tuple2<>(p._1()._2(), p._2())).reduceByKey(Long::sum)
                    .reduce(SuffixTagger::moreFrequent)._1();
        } finally {
            pairs.unpersist(false);
        }
    }

    /** Adds one test example: every token whose tag is in the tag set, as the network's scoring does. */
    void score(Example e, TagTally tally) {
        tally.addExample();
        for (int i = 0; i < e.tokens().size(); i++) {
            int actual = tags.id(e.tags().get(i));
            if (actual < 0) {
                tally.addUnknownTag();
                continue;
            }
            tally.add(actual, tags.id(tag(e.tokens().get(i))), !byWord.containsKey(e.tokens().get(i)));
        }
    }

    /** The tag this baseline gives a word. */
    String tag(String word) {
        String known = byWord.get(word);
        if (known != null) return known;
        for (String f : WordShape.features(word)) {
            String guessed = byFeature.get(f);
            if (guessed != null) return guessed;
        }
        return overall;
    }

    private static Tuple2<String, Long> moreFrequent(Tuple2<String, Long> a, Tuple2<String, Long> b) {
        int byCount = Long.compare(a._2(), b._2());
        if (byCount != 0) return byCount > 0 ? a : b;
        return a._1().compareTo(b._1()) <= 0 ? a : b;
    }
}
