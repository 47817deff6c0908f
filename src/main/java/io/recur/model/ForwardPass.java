package io.recur.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The buffers of one forward pass, which backprop reuses: the {@link Sequence} it ran over and what
 * each cell keeps. {@link FusedRecurrentLayer} records what the pass was computed from, to
 * recognise it when backprop comes.
 */
abstract class ForwardPass {
    final Sequence seq;
    INDArray output;          // the layer's output (null when the pass only serves backprop)
    INDArray input;
    INDArray mask;
    INDArray[] initialStates;

    ForwardPass(Sequence seq) {
        this.seq = seq;
    }

    /** The step-major state sequence whose rows from {@link #outputRow()} on are the output h. */
    abstract INDArray states();

    abstract long outputRow();

    /** State {@code k} ({@link CellMath#states()}) after the last step, as an [H, m] block. */
    abstract INDArray finalState(int k);
}
