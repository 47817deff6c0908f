package io.recur.config;


/**
 * The spec's name for what the network learns from each example ({@code job.task}). What a task
 * does is owned by its class in {@code io.recur.task}; this enum is only the spelling and the
 * facts the spec's own cross-key rules need.
 */
public enum Task {
    /** Many-to-one: one label per sequence, read at its last real step. */
    CLASSIFY,
    /** Many-to-many: the next token at every step. */
    LM,
    /** Many-to-many, aligned: one tag per token (part-of-speech tagging). */
    TAG,
    /** Synthetic, many-to-one regression: the adding problem (sum of the two marked values). */
    SEQUENCE_REGRESSION,
    /** Synthetic, many-to-many: the copy-memory problem (recall 10 symbols after a long blank gap). */
    SEQUENCE_COPY,
    /** Synthetic, many-to-one regression: the multiplication problem (product of the two marked values). */
    SEQUENCE_PRODUCT;

    /** True for the tasks whose examples the job generates from its seed instead of reading a corpus. */
    public boolean synthetic() {
        // No default: a new task does not compile until it says which kind it is.
        return switch (this) {
            case CLASSIFY, LM, TAG -> false;
            case SEQUENCE_REGRESSION, SEQUENCE_COPY, SEQUENCE_PRODUCT -> true;
        };
    }

    /** The spelling in a job spec and in {@code metrics.json}: {@code sequence-copy}, whatever the default locale. */
    public String label() {
        return EnumNames.label(this);
    }
}
