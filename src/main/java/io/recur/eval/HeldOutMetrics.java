package io.recur.eval;

import io.recur.config.Task;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics a tally stands for, under the names {@code metrics.json} uses: {@code accuracy},
 * {@code macroF1} (classify); {@code perplexity}, {@code bitsPerToken} (lm); always
 * {@code crossEntropy} (nats per prediction), {@code examples} and {@code tokens}; except the
 * adding problem, which has {@code mse} instead of a cross-entropy, and copy memory, which adds
 * {@code recallAccuracy} (over the copied symbols). A tagger's metrics come from {@link #ofTagging}.
 */
public final class HeldOutMetrics {
    private HeldOutMetrics() {}

    public static Map<String, Object> of(Task task, EvalTally tally, List<String> labels, long tokens) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (task == Task.SEQUENCE_REGRESSION) {
            m.put("mse", tally.meanSquaredError());
            m.put("examples", tally.examples());
            m.put("tokens", tokens);
            return m;
        }
        if (task == Task.CLASSIFY) {
            ClassificationMetrics c = new ClassificationMetrics(labels, tally.confusion());
            m.put("accuracy", c.accuracy());
            m.put("macroF1", c.macroF1());
        } else if (task == Task.SEQUENCE_COPY) {
            m.put("recallAccuracy", tally.recallAccuracy());
        } else {
            m.put("perplexity", Math.exp(tally.meanNll()));
            m.put("bitsPerToken", tally.meanNll() / Math.log(2));
        }
        m.put("crossEntropy", tally.meanNll());
        m.put("examples", tally.examples());
        m.put("tokens", tokens);
        if (task == Task.CLASSIFY) {
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
