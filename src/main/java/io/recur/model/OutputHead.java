package io.recur.model;

/**
 * What the network's last layer predicts and where in the sequence it reads it: the output
 * layer, its loss and whether the last recurrent layer keeps only the last real step.
 */
public enum OutputHead {
    /** A softmax over classes at the last real step, cross-entropy against one-hot targets. */
    CLASS_AT_LAST_STEP(true),
    /** One real value at the last real step, mean squared error. */
    VALUE_AT_LAST_STEP(true),
    /** A softmax at every step, sparse cross-entropy against the target id of the step. */
    CLASS_PER_STEP(false);

    private final boolean manyToOne;

    OutputHead(boolean manyToOne) {
        this.manyToOne = manyToOne;
    }

    /** True when the whole sequence is read into one prediction. */
    public boolean manyToOne() {
        return manyToOne;
    }
}
