package io.recur.eval;

import io.recur.config.Task;

import java.util.Arrays;
import java.util.List;

/**
 * The held-out metrics recur reports, under the names {@code metrics.json} uses, with what each
 * means and which way is better; and per task, which of them it reports and which one is its
 * headline. The headline is what a run is judged by everywhere: the emphasised row of the report,
 * the bake-off comparison and the registry's promotion rule.
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

    /**
     * What a task is judged by. A language model's is bits per token rather than perplexity: the
     * two order runs alike, and bits per character is how character models are compared.
     */
    public static Metric headline(Task task) {
        return switch (task) {
            case CLASSIFY -> ACCURACY;
            case LM -> BITS_PER_TOKEN;
            case TAG -> TOKEN_ACCURACY;
            case SEQUENCE_REGRESSION -> MSE;
            case SEQUENCE_COPY -> CROSS_ENTROPY;
        };
    }

    /** The metrics a task's reports show, headline first. */
    public static List<Metric> reported(Task task) {
        return switch (task) {
            case CLASSIFY -> List.of(ACCURACY, MACRO_F1, CROSS_ENTROPY);
            case LM -> List.of(BITS_PER_TOKEN, PERPLEXITY, CROSS_ENTROPY);
            case TAG -> List.of(TOKEN_ACCURACY, UNSEEN_TOKEN_ACCURACY, MACRO_F1, CROSS_ENTROPY);
            case SEQUENCE_REGRESSION -> List.of(MSE);
            case SEQUENCE_COPY -> List.of(CROSS_ENTROPY, RECALL_ACCURACY);
        };
    }

    /** The console's one-line summary: the reported metrics but the cross-entropy that only backs them. */
    public static List<Metric> summarised(Task task) {
        return reported(task).stream().filter(m -> m != CROSS_ENTROPY || m == headline(task)).toList();
    }
}
