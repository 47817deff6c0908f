package io.recur.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics a tally stands for, under the names {@code metrics.json} uses: {@code accuracy},
 * {@code macroF1} (one class per sequence); {@code perplexity}, {@code bitsPerToken} (a class per
 * step); always {@code crossEntropy} (nats per prediction), {@code examples} and {@code tokens};
 * except a value per sequence, which has {@code mse} instead of a cross-entropy, and recall per
 * step, which adds {@code recallAccuracy} (over the recalled symbols). A tagger's metrics come from {@link #ofTagging}.
 */
public final class HeldOutMetrics {
    private HeldOutMetrics() {}

    public static Map<String, Object> of(Scoring scoring, EvalTally tally, List<String> labels, long tokens) {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (scoring) {
            case VALUE_PER_SEQUENCE -> {
                m.put("mse", tally.meanSquaredError());
                m.put("examples", tally.examples());
                m.put("tokens", tokens);
                return m;
            }
            case CLASS_PER_SEQUENCE -> {
                ClassificationMetrics c = new ClassificationMetrics(labels, tally.confusion());
                m.put("accuracy", c.accuracy());
                m.put("macroF1", c.macroF1());
            }
            case RECALL_PER_STEP -> m.put("recallAccuracy", tally.recallAccuracy());
            case CLASS_PER_STEP -> {
                m.put("perplexity", Math.exp(tally.meanNll()));
                m.put("bitsPerToken", tally.meanNll() / Math.log(2));
            }
        }
        m.put("crossEntropy", tally.meanNll());
        m.put("examples", tally.examples());
        m.put("tokens", tokens);
        if (scoring == Scoring.CLASS_PER_SEQUENCE) {
            ClassificationMetrics c = new ClassificationMetrics(labels, tally.confusion());
            m.put("perClass", c.perClass());
            Map<String, Object> confusion = new LinkedHashMap<>();
            confusion.put("layout", "rows are actual labels, columns predicted");
            confusion.put("labels", labels);
            confusion.put("rows", c.confusionRows());
            m.put("confusionMatrix", confusion);
        }
        return m;
    }

    /**
     * A tagger's metrics over real tokens: {@code tokenAccuracy}, {@code unseenTokenAccuracy} (tokens
     * whose word never occurs in the training split; null if there were none) with
     * {@code unseenTokens}, {@code macroF1} over the tags, {@code crossEntropy} (nats per token, only
     * with {@code withCrossEntropy}), {@code examples}, {@code tokens} (scored), {@code unknownTags}
     * (tokens whose tag training never saw: counted, not scored) and {@code perTag} (precision,
     * recall, f1, support).
     */
    public static Map<String, Object> ofTagging(TagTally tally, List<String> tags, boolean withCrossEntropy) {
        ClassificationMetrics c = new ClassificationMetrics(tags, tally.confusion());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tokenAccuracy", tally.tokenAccuracy());
        m.put("unseenTokenAccuracy", tally.unseenTokens() == 0 ? null : tally.unseenTokenAccuracy());
        m.put("unseenTokens", tally.unseenTokens());
        m.put("macroF1", c.macroF1());
        if (withCrossEntropy) m.put("crossEntropy", tally.meanNll());
        m.put("examples", tally.examples());
        m.put("tokens", tally.tokens());
        m.put("unknownTags", tally.unknownTags());
        m.put("perTag", c.perClass());
        return m;
    }
}
