package io.recur.eval;

/** How a network's output is scored against a batch's targets, and so which metrics its tally gives. */
public enum Scoring {
    /** One class per sequence: accuracy, macro F1 and cross-entropy, per class and as a confusion matrix. */
    CLASS_PER_SEQUENCE,
    /** One real value per sequence: the mean squared error. */
    VALUE_PER_SEQUENCE,
    /** A class at every scored step: the cross-entropy, as perplexity and bits per token. */
    CLASS_PER_STEP,
    /** A symbol at every step, and the accuracy over the recalled ones (all but the blank). */
    RECALL_PER_STEP
}
