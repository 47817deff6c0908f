package io.recur.model;

import static io.recur.model.RecurrentMath.block;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The minimal gated unit (Zhou, Wu, Zhang and Zhou, "Minimal gated unit for recurrent neural
 * networks", 2016): one forget gate does the work of the GRU's reset and update gates.
 * <pre>
 * f  = sigmoid(W_f x + U_f h + b_f)
 * n  = tanh(W_n x + U_n (f * h) + b_n)
 * h' = (1 - f) * h + f * n
 * </pre>
 * Gate blocks f, n: {@code W} [nIn, 2H], {@code RW} [H, 2H], {@code b} [1, 2H], so
 * {@code 2 (nIn·H + H·H + H)} parameters, two thirds of a GRU's.
 *
 * <p>A step's gate block holds the rows f, n: one input product fills both over the bias, a
 * recurrent product adds {@code h·U_f} to f, sigmoid turns it into the gate, one fused pass forms
 * {@code f * h}, a second recurrent product adds {@code (f * h)·U_n} to n, tanh, and one more pass
 * the update, written {@code h' = h + f' * (n - h)} with {@code f' = mask * f}: at a masked step
 * f' = 0, so the state carries over and every gradient into the step's pre-activations is zero
 * (they are all multiples of f' or of f'(1 - f')). Backprop overwrites the gate rows with
 * dL/d(pre-activation) in two fused passes around the product for dL/d(f * h).
 */
final class MguCell implements CellMath {
    static final MguCell INSTANCE = new MguCell();

    /** Position of the forget gate f's block in W, RW and b. */
    static final int FORGET_GATE = 0;
    private static final int CANDIDATE = 1;
    private static final int BLOCKS = 2;

    private MguCell() {}

    private static final class Pass extends ForwardPass {
        INDArray gates;   // [T*2H, m] f' and n (dL/d of their pre-activations after backprop)
        INDArray gated;   // [T*H, m] f' * h, the recurrent input of n
        INDArray hs;      // [(T+1)*H, m] initial state, then the state after each step

        Pass(Sequence seq) {
            super(seq);
        }

        INDArray gate(long t, int gate) {
            long h = seq.h();
            return block(gates, (t * BLOCKS + gate) * h, h, 0, seq.m());
        }

        @Override
        INDArray states() {
            return hs;
        }

        @Override
        long outputRow() {
            return seq.h();
        }

        @Override
        INDArray finalState(int k) {
            return seq.state(hs, seq.steps());
        }
    }

    @Override
    public int blocks() {
        return BLOCKS;
    }

    // h' = (1 - f) h + f n keeps the state with 1 - f = sigmoid(-b_f): forget-gate bias -ln(u).
    @Override
    public void chronoInit(INDArray bias, INDArray logU, long units) {
        bias.get(interval(0, 0, true), interval(FORGET_GATE * units, (FORGET_GATE + 1) * units)).assign(logU.neg());
    }

    // Step-major input copy, the two gate blocks, f * h and the state sequence.
    @Override
    public long forwardElementsPerStep(long nIn, long units) {
        return nIn + 2 * units + units + units;
    }

    /** Columns [from, to) of a parameter matrix, as a 'c'-ordered copy in the pass's workspace. */
    private static INDArray columns(LayerWorkspaceMgr workspaceMgr, ArrayType work, INDArray a, long from, long to) {
        return workspaceMgr.dup(work, a.get(all(), interval(from, to)), 'c');
    }

    @Override
    public ForwardPass forward(Sequence s, INDArray w, INDArray rw, INDArray b, INDArray[] initialStates) {
        long m = s.m();
        long steps = s.steps();
        long h = s.h();
        INDArray wT = w.transpose();
        INDArray rwT = s.workspaceMgr().dup(s.work(), rw.transpose(), 'c');
        INDArray rwForget = block(rwT, FORGET_GATE * h, h, 0, h);
        INDArray rwCandidate = block(rwT, CANDIDATE * h, h, 0, h);

        Pass p = new Pass(s);
        // The bias goes in up front; each step's products then add onto it.
        p.gates = s.zeros(steps * BLOCKS * h);
        INDArray gates3d = p.gates.reshape('c', steps, BLOCKS * h, m);
        Nd4j.getExecutioner().exec(new BroadcastAddOp(gates3d, b.reshape(BLOCKS * h), gates3d, 1));
        p.gated = s.buffer(steps * h);
        p.hs = s.buffer((steps + 1) * h);
        s.setInitialState(s.state(p.hs, 0), initialStates[0]);
        Elements gates = Elements.of(p.gates);
        Elements gated = Elements.of(p.gated);
        Elements hs = Elements.of(p.hs);
        Elements mask = s.maskRows() == null ? null : Elements.of(s.maskRows());
        int size = (int) (h * m);

        for (long t = 0; t < steps; t++) {
            int forgetAt = (int) (t * BLOCKS * h * m);
            int candidateAt = forgetAt + size;
            int prevAt = (int) (t * h * m);
            int nextAt = prevAt + size;
            int maskAt = (int) (t * m);
            INDArray prev = s.state(p.hs, t);
            INDArray forget = p.gate(t, FORGET_GATE);

            Nd4j.gemm(wT, s.input(t), s.step(p.gates, t, BLOCKS * h), false, false, 1.0, 1.0);
            Nd4j.gemm(rwForget, prev, forget, false, false, 1.0, 1.0);
            Nd4j.getExecutioner().exec(new Sigmoid(forget, forget));
            // f' = mask * f, kept in place of f for backprop; the recurrent input of n is f' * h.
            for (int row = 0, i = 0; row < h; row++) {
                for (int column = 0; column < m; column++, i++) {
                    double f = gates.get(forgetAt + i);
                    if (mask != null) {
                        f *= mask.get(maskAt + column);
                        gates.set(forgetAt + i, f);
                    }
                    gated.set(prevAt + i, f * hs.get(prevAt + i));
                }
            }
            INDArray candidate = p.gate(t, CANDIDATE);
            Nd4j.gemm(rwCandidate, s.state(p.gated, t), candidate, false, false, 1.0, 1.0);
            Nd4j.getExecutioner().exec(new Tanh(candidate, candidate));
            // h' = h + f' * (n - h)
            for (int i = 0; i < size; i++) {
                double state = hs.get(prevAt + i);
                hs.set(nextAt + i, state + gates.get(forgetAt + i) * (gates.get(candidateAt + i) - state));
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

        // 'c'-ordered operands throughout (mixed orders cost hidden copies): W whole, and U_f, U_n apart.
        INDArray w = workspaceMgr.dup(work, bp.w(), 'c');
        INDArray rwForget = columns(workspaceMgr, work, bp.rw(), FORGET_GATE * h, (FORGET_GATE + 1) * h);
        INDArray rwCandidate = columns(workspaceMgr, work, bp.rw(), CANDIDATE * h, (CANDIDATE + 1) * h);
        INDArray gradWT = bp.gradW().transpose();
        INDArray gradRwT = bp.gradRw().transpose();
        INDArray dH = bp.dH();

        // dL/d(f' * h) of the step, and the update's share of dL/df', between the two passes.
        INDArray dGatedArray = workspaceMgr.createUninitialized(work, s.dataType(), new long[] {h, m}, 'c');
        INDArray dForgetArray = workspaceMgr.createUninitialized(work, s.dataType(), new long[] {h, m}, 'c');
        Elements gates = Elements.of(p.gates);
        Elements hs = Elements.of(p.hs);
        Elements dHs = Elements.of(dH);
        Elements dGated = Elements.of(dGatedArray);
        Elements dForget = Elements.of(dForgetArray);
        int size = (int) (h * m);

        for (long t = steps - 1; t >= firstStep; t--) {
            int forgetAt = (int) (t * BLOCKS * h * m);
            int candidateAt = forgetAt + size;
            int stateAt = (int) (t * h * m);
            int dPrevAt = stateAt - size;
            boolean carry = t > firstStep;
            // h' = h + f' (n - h): dL/dn = dL/dh' f', dL/df' (update) = dL/dh' (n - h), dL/dh += dL/dh' (1 - f').
            for (int i = 0; i < size; i++) {
                double dh = dHs.get(stateAt + i);
                double f = gates.get(forgetAt + i);
                double n = gates.get(candidateAt + i);
                double state = hs.get(stateAt + i);
                dForget.set(i, dh * (n - state));
                gates.set(candidateAt + i, dh * f * (1 - n * n));
                if (carry) {
                    dHs.set(dPrevAt + i, dHs.get(dPrevAt + i) + dh * (1 - f));
                }
            }
            // n = tanh(x·W_n + (f' * h)·U_n + b_n)
            Nd4j.gemm(rwCandidate, p.gate(t, CANDIDATE), dGatedArray, false, false, 1.0, 0.0);
            for (int i = 0; i < size; i++) {
                double f = gates.get(forgetAt + i);
                double dg = dGated.get(i);
                gates.set(forgetAt + i, (dForget.get(i) + dg * hs.get(stateAt + i)) * f * (1 - f));
                if (carry) {
                    dHs.set(dPrevAt + i, dHs.get(dPrevAt + i) + dg * f);
                }
            }
            if (carry) {
                Nd4j.gemm(rwForget, p.gate(t, FORGET_GATE), s.state(dH, t - 1), false, false, 1.0, 1.0);
            }
        }

        // Parameter gradients and dL/d(input): sums over steps of per-step products.
        INDArray gradRwForgetT = block(gradRwT, FORGET_GATE * h, h, 0, h);
        INDArray gradRwCandidateT = block(gradRwT, CANDIDATE * h, h, 0, h);
        for (long t = firstStep; t < steps; t++) {
            INDArray dPre = s.step(p.gates, t, BLOCKS * h);
            double beta = t == firstStep ? 0.0 : 1.0;
            Nd4j.gemm(dPre, s.input(t), gradWT, false, true, 1.0, beta);
            Nd4j.gemm(p.gate(t, FORGET_GATE), s.state(p.hs, t), gradRwForgetT, false, true, 1.0, beta);
            Nd4j.gemm(p.gate(t, CANDIDATE), s.state(p.gated, t), gradRwCandidateT, false, true, 1.0, beta);
            Nd4j.gemm(w, dPre, s.step(bp.dx(), t, nIn), false, false, 1.0, 0.0);
        }
        long rows = (steps - firstStep) * BLOCKS * h;
        INDArray perStep = workspaceMgr.createUninitialized(work, s.dataType(), new long[] {1, rows}, 'c');
        RecurrentMath.rowSums(block(p.gates, firstStep * BLOCKS * h, rows, 0, m), perStep.reshape(rows, 1),
                workspaceMgr, work);
        RecurrentMath.columnSums(perStep.reshape('c', steps - firstStep, BLOCKS * h), bp.gradB(), workspaceMgr, work);
    }
}
