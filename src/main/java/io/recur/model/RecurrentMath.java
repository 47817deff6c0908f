package io.recur.model;

import java.util.Arrays;
import java.util.Map;

import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.base.Preconditions;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Low-level array operations shared by the recurrent layers' hand-written passes. Each exists
 * because the general INDArray route costs several times more in a per-time-step loop (measured
 * by JFR on the GRU at hidden 512, batch 128).
 */
final class RecurrentMath {
    private RecurrentMath() {}

    /**
     * Rows and columns of a contiguous 'c'-ordered matrix as a view. Built directly on the buffer:
     * the loops take several such views per step, and INDArray.get(...) costs several times more.
     */
    static INDArray block(INDArray a, long row0, long rows, long col0, long cols) {
        long width = a.size(1);
        return Nd4j.create(a.data(), new long[] {rows, cols}, new long[] {width, 1},
                a.offset() + row0 * width + col0, 'c', a.dataType());
    }

    /**
     * The 2D {@code [T * size, m]} row-major view of an 'f'-ordered {@code [m, size, T]} array,
     * copied into {@code arrayType} first when {@code a} has another layout.
     */
    static INDArray stepMajor(INDArray a, LayerWorkspaceMgr workspaceMgr, ArrayType arrayType,
                                      boolean alwaysCopy) {
        long m = a.size(0);
        long size = a.size(1);
        long steps = a.size(2);
        long[] fStrides = {1, m, m * size};
        INDArray f = !alwaysCopy && Arrays.equals(a.stride(), fStrides) ? a
                : workspaceMgr.dup(arrayType, a, 'f');
        return Nd4j.create(f.data(), new long[] {steps * size, m}, new long[] {m, 1}, f.offset(), 'c',
                f.dataType());
    }

    /**
     * Sets a step-major {@code [H, m]} initial state block from a state stored as {@code [m, H]},
     * or to zero when there is none.
     */
    static void setInitialState(INDArray first, INDArray initial, String layer) {
        if (initial == null) {
            first.assign(0);
            return;
        }
        Preconditions.checkState(initial.size(0) == first.size(1),
                "%s: stored state has minibatch %s but the input has %s; "
                        + "call rnnClearPreviousState() before changing the minibatch size",
                layer, initial.size(0), first.size(1));
        first.assign(initial.transpose());
    }

    /**
     * {@code out = column sums of a}, {@code a} [rows, cols] and out [1, cols], as the product of a
     * ones row with {@code a}: a matrix product runs several times faster than the strided
     * reduction {@code a.sum(0)}.
     */
    static void columnSums(INDArray a, INDArray out, LayerWorkspaceMgr workspaceMgr, ArrayType arrayType) {
        INDArray ones = workspaceMgr.createUninitialized(arrayType, a.dataType(), new long[] {1, a.size(0)}, 'c');
        ones.assign(1);
        Nd4j.gemm(ones, a, out, false, false, 1.0, 0.0);
    }

    /** {@code out = row sums of a}, {@code a} [rows, cols] and out [rows, 1], as {@code a} times a ones column. */
    static void rowSums(INDArray a, INDArray out, LayerWorkspaceMgr workspaceMgr, ArrayType arrayType) {
        INDArray ones = workspaceMgr.createUninitialized(arrayType, a.dataType(), new long[] {a.size(1), 1}, 'c');
        ones.assign(1);
        Nd4j.gemm(a, ones, out, false, false, 1.0, 0.0);
    }

    /**
     * The layer output {@code [m, H, T]} ('f'-ordered, in the ACTIVATIONS workspace) from a state
     * sequence {@code hs} [(T+1)*H, m] whose first block is the initial state (or, with
     * {@code firstRow} 0, [T*H, m] without it), zero where {@code mask} [m, T] (may be null) is zero.
     */
    static INDArray sequenceOutput(INDArray hs, long firstRow, long m, long h, long steps, INDArray mask,
                                   LayerWorkspaceMgr workspaceMgr) {
        DataType dataType = hs.dataType();
        // Rows firstRow.. of hs are the 'f'-ordered [m, H, T] output's memory.
        INDArray sequence = Nd4j.create(hs.data(), new long[] {m, h, steps}, new long[] {1, m, m * h},
                hs.offset() + firstRow * m, 'f', dataType);
        INDArray out = workspaceMgr.dup(ArrayType.ACTIVATIONS, sequence, 'f');
        if (mask != null) {
            Nd4j.getExecutioner().exec(new BroadcastMulOp(out, mask.castTo(dataType), out, 0, 2));
        }
        return out;
    }

    /** A feature mask [m, T] as step-major rows [T, m] of the layer's type, or null without one. */
    static INDArray maskRows(INDArray mask, DataType dataType, LayerWorkspaceMgr workspaceMgr, ArrayType arrayType) {
        return mask == null ? null : workspaceMgr.dup(arrayType, mask.castTo(dataType).transpose(), 'c');
    }

    /**
     * dL/dh per step as a step-major [T*H, m] copy of the gradient from above ({@code [m, H, T]},
     * already in NCW), zero at masked steps, for the backward loop to add into in place.
     */
    static INDArray stepMajorGradient(INDArray epsilon, DataType dataType, INDArray maskRows,
                                      LayerWorkspaceMgr workspaceMgr) {
        INDArray eps = epsilon.dataType() == dataType ? epsilon : epsilon.castTo(dataType);
        INDArray dH = stepMajor(eps, workspaceMgr, ArrayType.BP_WORKING_MEM, true);
        if (maskRows != null) {
            INDArray dH3d = dH.reshape('c', eps.size(2), eps.size(1), eps.size(0));
            Nd4j.getExecutioner().exec(new BroadcastMulOp(dH3d, maskRows, dH3d, 0, 2));
        }
        return dH;
    }

    /** Puts a step-major state block [H, m] into a stored-state map as [m, H], outside any workspace. */
    static void storeState(Map<String, INDArray> stateMap, String key, INDArray stateBlock) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            stateMap.put(key, stateBlock.transpose().dup('c'));
        }
    }
}
