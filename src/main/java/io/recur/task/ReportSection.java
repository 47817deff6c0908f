package io.recur.task;

/** A part of {@code report.html} and {@code report.md} that only some tasks have. */
public enum ReportSection {
    /** The confusion matrix and the per-class table of the test split ({@code heldOut.perClass}). */
    CLASSES,
    /** The per-tag table of the test split ({@code heldOut.perTag}). */
    TAGS,
    /** Text the model generated after training. */
    SAMPLES
}
