package io.recur.baseline;

import io.recur.corpus.Example;
import io.recur.eval.EvalTally;
import io.recur.eval.HeldOutMetrics;
import io.recur.eval.Scoring;
import io.recur.vocab.Vocabulary;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The language-model baseline: an interpolated {@link WittenBellNgram} of the network's token ids,
 * counted on the training split, its order (3, 4 or 5) the one with the lowest validation
 * cross-entropy. The count table is broadcast and the held-out tokens are scored on the executors:
 * a table of the bundled corpora is a few megabytes, far less than shuffling the held-out n-grams
 * against it.
 */
public final class NgramLanguageModel implements StrongBaseline {
    static final int MIN_ORDER = 3;
    static final int MAX_ORDER = 5;
    private final Vocabulary vocab;

    public NgramLanguageModel(Vocabulary vocab) {
        this.vocab = vocab;
    }

    @Override
    public Map<String, Object> fitAndScore(JavaSparkContext sc, JavaRDD<Example> train, JavaRDD<Example> validation,
                                           JavaRDD<Example> test) {
        WittenBellNgram model = WittenBellNgram.fit(train, vocab, MAX_ORDER);
        Broadcast<WittenBellNgram> shipped = sc.broadcast(model);
        try {
            EvalTally[] byOrder = score(validation, shipped, vocab);
            int best = MIN_ORDER;
            Map<String, Object> validationBits = new LinkedHashMap<>();
            for (int order = MIN_ORDER; order <= MAX_ORDER; order++) {
                validationBits.put(String.valueOf(order), bits(byOrder[order - 1]));
                if (byOrder[order - 1].meanNll() < byOrder[best - 1].meanNll()) best = order;
            }
            EvalTally tally = score(test, shipped, vocab)[best - 1];
            Map<String, Object> m = HeldOutMetrics.of(Scoring.CLASS_PER_STEP, tally, List.of(), tally.predictions());
            m.put("name", "interpolated Witten-Bell " + best + "-gram");
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("order", best);
            settings.put("validationBitsPerTokenByOrder", validationBits);
            settings.put("grams", model.grams());
            m.put("settings", settings);
            return m;
        } finally {
            shipped.destroy();
        }
    }

    /** One tally per order 1..MAX_ORDER over every target of {@code examples}, added up on the executors. */
    static EvalTally[] score(JavaRDD<Example> examples, Broadcast<WittenBellNgram> shipped, Vocabulary vocab) {
        return examples.mapPartitions(it -> {
            EvalTally[] tallies = new EvalTally[MAX_ORDER];
            Arrays.setAll(tallies, i -> new EvalTally(0));
            WittenBellNgram model = shipped.value();
            while (it.hasNext()) {
                int[] seq = WittenBellNgram.sequence(it.next(), vocab);
                for (EvalTally t : tallies) t.addExample();
                for (int t = 1; t < seq.length; t++) {
                    double[] p = model.probabilities(seq, t);
                    for (int k = 0; k < MAX_ORDER; k++) tallies[k].addPrediction(p[k]);
                }
            }
            return Collections.singletonList(tallies).iterator();
        }).reduce((a, b) -> {
            for (int k = 0; k < a.length; k++) a[k].merge(b[k]);
            return a;
        });
    }

    private static double bits(EvalTally t) {
        return t.meanNll() / Math.log(2);
    }
}
