package io.recur.eval;

import java.util.Arrays;

/**
 * The held-out metrics recur reports, under the names {@code metrics.json} uses, with what each
 * means and which way is better. Which of them a task reports, and the headline it is judged by,
 * is the task's ({@code io.recur.task.TaskKind}).
 */
public enum Metric {
    ACCURACY("accuracy", "accuracy", "share of test examples labelled correctly", false),
    TOKEN_ACCURACY("tokenAccuracy", "token accuracy", "share of test tokens tagged correctly", false),
    UNSEEN_TOKEN_ACCURACY("unseenTokenAccuracy", "unseen-word accuracy",
            "token accuracy on words the training split never had", false),
    MACRO_F1("macroF1", "macro F1", "F1 averaged over the classes, each class weighing the same", false),
    PERPLEXITY("perplexity", "perplexity", "exp(cross-entropy): the effective number of choices per token", true),
    BITS_PER_TOKEN("bitsPerToken", "bits per token", "per character for a char tokenizer; <eos> counts as a symbol", true),
    MSE("mse", "mean squared error", "per test sequence; below 0.01 counts as solved", true),
    RECALL_ACCURACY("recallAccuracy", "recall accuracy", "share of the 10 copied symbols predicted right", false),
    CROSS_ENTROPY("crossEntropy", "cross-entropy", "nats per prediction (per example, token or step)", true);

    private final String key;
    private final String label;
    private final String meaning;
    private final boolean lowerIsBetter;

    Metric(String key, String label, String meaning, boolean lowerIsBetter) {
        this.key = key;
        this.label = label;
        this.meaning = meaning;
        this.lowerIsBetter = lowerIsBetter;
    }

    /** The name in {@code metrics.json}, comparison.json and the console. */
    public String key() {
        return key;
    }

    public String label() {
        return label;
    }

    public String meaning() {
        return meaning;
    }

    public boolean lowerIsBetter() {
        return lowerIsBetter;
    }

    /** Whether {@code a} is strictly better than {@code b}. */
    public boolean better(double a, double b) {
        return lowerIsBetter ? a < b : a > b;
    }

    public static Metric of(String key) {
        return Arrays.stream(values()).filter(m -> m.key.equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no metric named " + key));
    }
}
