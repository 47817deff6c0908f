package io.recur.model;

import static io.recur.model.RecurrentMath.block;

import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The vanilla (Elman) cell, {@code h' = tanh(W x + R h + b)}. Parameters are exactly DL4J
 * SimpleRnn's: {@code W} [nIn, H], {@code RW} [H, H], {@code b} [1, H] (PyTorch's
 * {@code b_ih + b_hh}), so SimpleRnn's parameters and updater state carry over unchanged.
 *
 * <p>The only per-step buffer is the state sequence: a step adds its input and recurrent products
 * onto the bias already in the next state's block and applies tanh there in place, so the block
 * holds h' (and, where unmasked, tanh's output, from which backprop takes the derivative
 * {@code 1-h'²}). Backprop is one fused pass per step that overwrites the step's dL/dh with
 * dL/d(pre-activation), followed by one recurrent product; the parameter gradients are products
 * after the loop. Masks: at a masked step h' = h (the state carries over) and the pre-activation's
 * gradient is zero, so dL/dh' flows to h unchanged (DL4J's SimpleRnn restarts from zero after a
 * masked step instead; both agree on sequences padded at the end).
 */
final class RnnCell implements CellMath {
    static final RnnCell INSTANCE = new RnnCell();

    private RnnCell() {}

    private static final class Pass extends ForwardPass {
        INDArray h0;  // [H, m] initial h
        INDArray hs;  // [T*H, m] h after each step

        Pass(Sequence seq) {
            super(seq);
        }

        /** The state before step t. */
        INDArray previous(long t) {
            return t == 0 ? h0 : seq.state(hs, t - 1);
        }

        @Override
        INDArray states() {
            return hs;
        }

        @Override
        long outputRow() {
            return 0;
        }

        @Override
        INDArray finalState(int k) {
            return previous(seq.steps());
        }
    }

    @Override
    public int blocks() {
        return 1;
    }

    // The input copy and the state sequence.
    @Override
    public long forwardElementsPerStep(long nIn, long units) {
        return nIn + units;
    }

    @Override
    public ForwardPass forward(Sequence s, INDArray w, INDArray rw, INDArray b, INDArray[] initialStates) {
        long m = s.m();
        long steps = s.steps();
        long h = s.h();
        INDArray wT = w.transpose();
        INDArray rwT = rw.transpose();
        Pass p = new Pass(s);
        p.h0 = s.buffer(h);
        s.setInitialState(p.h0, initialStates[0]);
        // The bias goes in up front; each step's products then add onto it.
        p.hs = s.buffer(steps * h);
        INDArray hs3d = p.hs.reshape('c', steps, h, m);
        hs3d.assign(0);
        Nd4j.getExecutioner().exec(new BroadcastAddOp(hs3d, b.reshape(h), hs3d, 1));
        Elements hs = s.maskRows() == null ? null : Elements.of(p.hs);
        Elements h0 = s.maskRows() == null ? null : Elements.of(p.h0);
        Elements mask = s.maskRows() == null ? null : Elements.of(s.maskRows());
        int size = (int) (h * m);

        for (long t = 0; t < steps; t++) {
            INDArray next = s.state(p.hs, t);
            Nd4j.gemm(wT, s.input(t), next, false, false, 1.0, 1.0);
            Nd4j.gemm(rwT, p.previous(t), next, false, false, 1.0, 1.0);
            Nd4j.getExecutioner().exec(new Tanh(next, next));
            if (mask != null) {
                // h' = h where masked.
                Elements prev = t == 0 ? h0 : hs;
                int prevAt = t == 0 ? 0 : (int) ((t - 1) * size);
                int nextAt = (int) (t * size);
                int maskAt = (int) (t * m);
                for (int row = 0, i = 0; row < h; row++) {
                    for (int column = 0; column < m; column++, i++) {
                        if (mask.get(maskAt + column) == 0) {
                            hs.set(nextAt + i, prev.get(prevAt + i));
                        }
                    }
                }
            }
        }
        return p;
    }

    @Override
    public void backward(ForwardPass pass, Backprop bp) {
        Pass p = (Pass) pass;
        Sequence s = p.seq;
        long m = s.m();
        long steps = s.steps();
        long h = s.h();
        long nIn = s.nIn();
        long firstStep = bp.firstStep();
        LayerWorkspaceMgr workspaceMgr = bp.workspaceMgr();
        ArrayType work = ArrayType.BP_WORKING_MEM;

        // Every product takes 'c'-ordered operands and result: mixed orders cost hidden copies. The
        // gradients are written through transposed views of the 'f'-ordered gradient arrays; W and
        // RW are copied to 'c' order once (as in LstmCell).
        INDArray w = workspaceMgr.dup(work, bp.w(), 'c');
        INDArray rw = workspaceMgr.dup(work, bp.rw(), 'c');

        // dL/dh per step, added into in place as the loop walks backwards, then overwritten by
        // dL/d(pre-activation), the operand of the gradient products below.
        INDArray dH = bp.dH();
        Elements hs = Elements.of(p.hs);
        Elements dHs = Elements.of(dH);
        Elements mask = s.maskRows() == null ? null : Elements.of(s.maskRows());
        int size = (int) (h * m);

        for (long t = steps - 1; t >= firstStep; t--) {
            int stateAt = (int) (t * size);
            int dPrevAt = stateAt - size;
            int maskAt = (int) (t * m);
            boolean carry = t > firstStep;
            for (int row = 0, i = 0; row < h; row++) {
                for (int column = 0; column < m; column++, i++) {
                    double dh = dHs.get(stateAt + i);
                    if (mask != null && mask.get(maskAt + column) == 0) {
                        // h' = h: the gradient passes to h, none to the pre-activation.
                        if (carry) {
                            dHs.set(dPrevAt + i, dHs.get(dPrevAt + i) + dh);
                        }
                        dHs.set(stateAt + i, 0);
                    } else {
                        double next = hs.get(stateAt + i);
                        dHs.set(stateAt + i, dh * (1 - next * next));
                    }
                }
            }
            if (carry) {
                Nd4j.gemm(rw, block(dH, t * h, h, 0, m), block(dH, (t - 1) * h, h, 0, m), false, false, 1.0, 1.0);
            }
        }

        // Parameter gradients and dL/d(input): sums over steps of per-step products.
        INDArray gradWT = bp.gradW().transpose();
        INDArray gradRwT = bp.gradRw().transpose();
        for (long t = firstStep; t < steps; t++) {
            INDArray dPre = block(dH, t * h, h, 0, m);
            double beta = t == firstStep ? 0.0 : 1.0;
            Nd4j.gemm(dPre, s.input(t), gradWT, false, true, 1.0, beta);
            Nd4j.gemm(dPre, p.previous(t), gradRwT, false, true, 1.0, beta);
            Nd4j.gemm(w, dPre, block(bp.dx(), t * nIn, nIn, 0, m), false, false, 1.0, 0.0);
        }
        long rows = (steps - firstStep) * h;
        INDArray perStep = workspaceMgr.createUninitialized(work, s.dataType(), new long[] {1, rows}, 'c');
        RecurrentMath.rowSums(block(dH, firstStep * h, rows, 0, m), perStep.reshape(rows, 1), workspaceMgr, work);
        RecurrentMath.columnSums(perStep.reshape('c', steps - firstStep, h), bp.gradB(), workspaceMgr, work);
    }
}
