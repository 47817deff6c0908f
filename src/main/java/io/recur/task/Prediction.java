package io.recur.task;

/** What {@code recur predict} prints for a line, and how it reads the line. */
public enum Prediction {
    /** The most likely labels of the line, {@code label<TAB>probability}. */
    LABELS(1, "keep-last", false,
            "probability of each label (labels.json order), read at each row's last real step"),
    /** The most likely tag of each token, {@code token/TAG}. */
    TAGS(0, "split", false,
            "at each step, the probability of each tag (labels.json order); steps at or past length are padding"),
    /** The most likely next tokens, {@code token:probability}. */
    NEXT_TOKENS(5, "keep-last", true,
            "at each step, the distribution of the next token over vocab.json; steps at or past length are padding");

    private final int defaultTopK;
    private final String longerInput;
    private final boolean startWithBos;
    private final String outputMeaning;

    Prediction(int defaultTopK, String longerInput, boolean startWithBos, String outputMeaning) {
        this.defaultTopK = defaultTopK;
        this.longerInput = longerInput;
        this.startWithBos = startWithBos;
        this.outputMeaning = outputMeaning;
    }

    /** What the exported model's probabilities output holds ({@code signature.json}). */
    public String outputMeaning() {
        return outputMeaning;
    }

    /** How many labels or tokens a line lists without {@code --top-k}; 0 when it takes no {@code --top-k}. */
    public int defaultTopK() {
        return defaultTopK;
    }

    /** A line longer than {@code corpus.max-sequence-length}: its last steps are kept, or it is split. */
    public String longerInput() {
        return longerInput;
    }

    /** The ids start with the bos id, so the output at step t predicts token t. */
    public boolean startWithBos() {
        return startWithBos;
    }
}
