package io.recur.model;

import static io.recur.model.RecurrentMath.block;

import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a cell's forward pass runs over: the input as step-major rows {@code x} [T·nIn, m] (step t
 * in rows t·nIn), the feature mask as {@code maskRows} [T, m] (null without one), the sizes, and
 * where its buffers go. Every per-step array of a pass is 'c'-ordered [rows per step · T, m], the
 * memory layout of DL4J's 'f'-ordered [minibatch, size, timeSteps] activations, so input, output
 * and gradients need no transposing copies and each gate block of a step is contiguous.
 */
record Sequence(long m, long steps, long h, long nIn, INDArray x, INDArray maskRows, DataType dataType,
                LayerWorkspaceMgr workspaceMgr, ArrayType work, String layer) {

    /** A zeroed [rows, m] buffer of the pass. */
    INDArray zeros(long rows) {
        return workspaceMgr.create(work, dataType, new long[] {rows, m}, 'c');
    }

    /** An uninitialised [rows, m] buffer of the pass. */
    INDArray buffer(long rows) {
        return workspaceMgr.createUninitialized(work, dataType, new long[] {rows, m}, 'c');
    }

    /** Step t's block of an array with {@code rowsPerStep} rows per step. */
    INDArray step(INDArray a, long t, long rowsPerStep) {
        return block(a, t * rowsPerStep, rowsPerStep, 0, m);
    }

    /** Block t of H rows: the state after step t - 1 of a state sequence that starts with the initial state. */
    INDArray state(INDArray a, long t) {
        return block(a, t * h, h, 0, m);
    }

    INDArray input(long t) {
        return block(x, t * nIn, nIn, 0, m);
    }

    /** Sets the [H, m] block {@code first} from a stored [m, H] state, or to zero. */
    void setInitialState(INDArray first, INDArray initial) {
        RecurrentMath.setInitialState(first, initial, layer);
    }
}
