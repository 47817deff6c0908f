package io.recur.eval;

import io.recur.config.Task;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics a tally stands for, under the names {@code metrics.json} uses: {@code accuracy},
 * {@code macroF1} (classify); {@code perplexity}, {@code bitsPerToken} (lm); always
 * {@code crossEntropy} (nats per prediction), {@code examples} and {@code tokens}.
 */
public final class HeldOutMetrics {
    private HeldOutMetrics() {}

    public static Map<String, Object> of(Task task, EvalTally tally, List<String> labels, long tokens) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (task == Task.CLASSIFY) {
            ClassificationMetrics c = new ClassificationMetrics(labels, tally.confusion());
            m.put("accuracy", c.accuracy());
            m.put("macroF1", c.macroF1());
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
            m.put("confusionMatrix", Map.of("labels", labels, "rows", c.confusionRows(),
                    "layout", "rows are actual labels, columns predicted"));
        }
        return m;
    }

    /** The value by which runs are compared: accuracy for classify, perplexity for lm. */
    public static String headlineName(Task task) {
        return task == Task.CLASSIFY ? "accuracy" : "perplexity";
    }
}
