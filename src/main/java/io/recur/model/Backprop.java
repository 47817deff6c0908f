package io.recur.model;

import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a cell's backward pass reads and writes: the parameters {@code w}, {@code rw} as the layer
 * holds them ('f'-ordered), the gradient views to fill, dL/dh per step {@code dH} [T·H, m] (from
 * above, zero at masked steps; the cell adds what flows back into it), the first step to go back
 * to (truncated BPTT), and dL/d(input) {@code dx} [T·nIn, m] to write.
 */
record Backprop(INDArray w, INDArray rw, INDArray gradW, INDArray gradRw, INDArray gradB, INDArray dH,
                long firstStep, INDArray dx, LayerWorkspaceMgr workspaceMgr) {}
