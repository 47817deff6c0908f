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
 * The gated recurrent unit in the "reset after" form of cuDNN, PyTorch and Keras
 * ({@code reset_after=True}), for input x and previous state h:
 * <pre>
 * r  = sigmoid(W_ir x + W_hr h + b_r)
 * z  = sigmoid(W_iz x + W_hz h + b_z)
 * n  = tanh(W_in x + b_in + r * (W_hn h + b_hn))
 * h' = (1 - z) * n + z * h
 * </pre>
 * Gate blocks r, z, n (PyTorch's order): {@code W} [nIn, 3H] = PyTorch {@code weight_ih_l0}ᵀ,
 * {@code RW} [H, 3H] = {@code weight_hh_l0}ᵀ, {@code b} [1, 4H] = [b_ir + b_hr, b_iz + b_hz, b_in,
 * b_hn].
 *
 * <p>A step's pre-activation block holds the rows n, r, z and {@code h·RW_n + b_hn}, so that the
 * input product fills n, r, z with one matrix product and the recurrent product fills r, z and
 * {@code h·RW_n} with one more. The update is written as {@code h' = n + z' * (h - n)} with
 * {@code z' = mask * z + (1 - mask)}, so a masked step carries the state over unchanged. The
 * activations are ND4J ops; the rest of a step's element-wise arithmetic runs in fused passes over
 * host memory ({@link Elements}), backprop's in one per step.
 */
final class GruCell implements CellMath {
    static final GruCell INSTANCE = new GruCell();

    /** Position of the update gate z's block in W, RW and b. */
    static final int UPDATE_GATE = 1;

    // Row blocks of a step: the candidate first, so that one input product fills n, r, z and one
    // recurrent product fills r, z and h·RW_n, whose columns are in that order in RW.
    private static final int N = 0;
    private static final int R = 1;
    private static final int Z = 2;
    private static final int REC_N = 3;
    private static final int ROW_BLOCKS = 4;

    private GruCell() {}

    /** Buffers of one forward pass; a step's pre-activation block has the rows n, r, z, h·RW_n + b_hn. */
    private static final class Pass extends ForwardPass {
        INDArray pre;      // [T*4H, m] pre-activations (dL/d of them after backprop)
        INDArray act;      // [T*3H, m] n, r, z' (z where unmasked, 1 where masked)
        INDArray hs;       // [(T+1)*H, m] initial state, then the state after each step

        Pass(Sequence seq) {
            super(seq);
        }

        /** {@code count} H-row blocks of step t's pre-activations, from block {@code first}. */
        INDArray pre(long t, long first, long count) {
            long h = seq.h();
            return block(pre, t * ROW_BLOCKS * h + first * h, count * h, 0, seq.m());
        }

        /** {@code count} H-row blocks of step t's activations, from block {@code first}. */
        INDArray act(long t, long first, long count) {
            long h = seq.h();
            return block(act, (t * 3 + first) * h, count * h, 0, seq.m());
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
        return 3;
    }

    /** b_hn is kept apart from b_in. */
    @Override
    public long biasLength(long units) {
        return 4 * units;
    }

    // h' = (1 - z) n + z h: update-gate bias ln(u); its write share 1 - z follows.
    @Override
    public void chronoInit(INDArray bias, INDArray logU, long units) {
        bias.get(interval(0, 0, true), interval(UPDATE_GATE * units, (UPDATE_GATE + 1) * units)).assign(logU);
    }

    // Step-major input copy, pre-activations of n, r, z with h·RW_n, activations of the three
    // blocks, and the state sequence.
    @Override
    public long forwardElementsPerStep(long nIn, long units) {
        return nIn + 4 * units + 3 * units + units;
    }

    /** Columns [from, to) of a parameter (or gradient) matrix, as a view. */
    private static INDArray columns(INDArray a, long from, long to) {
        return a.get(all(), interval(from, to));
    }

    @Override
    public ForwardPass forward(Sequence s, INDArray w, INDArray rw, INDArray b, INDArray[] initialStates) {
        long m = s.m();
        long steps = s.steps();
        long h = s.h();
        long nIn = s.nIn();
        long rowsPerStep = ROW_BLOCKS * h;
        LayerWorkspaceMgr workspaceMgr = s.workspaceMgr();
        // W's gate columns reordered to the step's rows n, r, z; RW's rows r, z, n as they are.
        INDArray wT = workspaceMgr.createUninitialized(s.work(), s.dataType(), new long[] {3 * h, nIn}, 'c');
        block(wT, N * h, h, 0, nIn).assign(columns(w, 2 * h, 3 * h).transpose());
        block(wT, R * h, 2 * h, 0, nIn).assign(columns(w, 0, 2 * h).transpose());
        INDArray rwT = workspaceMgr.dup(s.work(), rw.transpose(), 'c');
        INDArray bias = workspaceMgr.createUninitialized(s.work(), s.dataType(), new long[] {1, rowsPerStep}, 'c');
        columns(bias, N * h, (N + 1) * h).assign(columns(b, 2 * h, 3 * h));
        columns(bias, R * h, (Z + 1) * h).assign(columns(b, 0, 2 * h));
        columns(bias, REC_N * h, (REC_N + 1) * h).assign(columns(b, 3 * h, 4 * h));

        Pass p = new Pass(s);
        // The bias goes in up front; each step's products then add onto it.
        p.pre = s.zeros(steps * rowsPerStep);
        INDArray pre3d = p.pre.reshape('c', steps, rowsPerStep, m);
        Nd4j.getExecutioner().exec(new BroadcastAddOp(pre3d, bias.reshape(rowsPerStep), pre3d, 1));
        p.act = s.buffer(steps * 3 * h);
        p.hs = s.buffer((steps + 1) * h);
        s.setInitialState(s.state(p.hs, 0), initialStates[0]);
        Elements pre = Elements.of(p.pre);
        Elements act = Elements.of(p.act);
        Elements hs = Elements.of(p.hs);
        Elements mask = s.maskRows() == null ? null : Elements.of(s.maskRows());
        int size = (int) (h * m);

        for (long t = 0; t < steps; t++) {
            INDArray prev = s.state(p.hs, t);
            INDArray preCandidate = p.pre(t, N, 1);
            int preAt = (int) (t * rowsPerStep * m);
            int actAt = (int) (t * 3 * h * m);
            int prevAt = (int) (t * h * m);

            Nd4j.gemm(wT, s.input(t), p.pre(t, N, 3), false, false, 1.0, 1.0);
            Nd4j.gemm(rwT, prev, p.pre(t, R, 3), false, false, 1.0, 1.0);
            Nd4j.getExecutioner().exec(new Sigmoid(p.pre(t, R, 2), p.act(t, R, 2)));
            // n = tanh(x·W_n + b_in + r * (h·RW_n + b_hn))
            for (int i = 0; i < size; i++) {
                int n = preAt + i;
                pre.set(n, pre.get(n) + act.get(actAt + R * size + i) * pre.get(preAt + REC_N * size + i));
            }
            Nd4j.getExecutioner().exec(new Tanh(preCandidate, p.act(t, N, 1)));

            // h' = n + z' * (h - n), z' = mask * z + (1 - mask), stored in place of z for backprop.
            int nextAt = prevAt + size;
            int maskAt = (int) (t * m);
            for (int row = 0, i = 0; row < h; row++) {
                for (int column = 0; column < m; column++, i++) {
                    int z = actAt + Z * size + i;
                    double update = act.get(z);
                    if (mask != null) {
                        double keep = mask.get(maskAt + column);
                        update = update * keep + (1 - keep);
                        act.set(z, update);
                    }
                    double candidate = act.get(actAt + i);
                    hs.set(nextAt + i, candidate + update * (hs.get(prevAt + i) - candidate));
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
        long rowsPerStep = ROW_BLOCKS * h;
        long firstStep = bp.firstStep();
        LayerWorkspaceMgr workspaceMgr = bp.workspaceMgr();
        ArrayType work = ArrayType.BP_WORKING_MEM;

        // Every product takes 'c'-ordered operands and result (mixed orders cost hidden copies):
        // W with its columns reordered to n, r, z, and RW (r, z, n, matching the rows r, z, h·RW_n
        // of a step) copied once per backprop.
        INDArray w = bp.w();
        INDArray wC = workspaceMgr.createUninitialized(work, s.dataType(), new long[] {nIn, 3 * h}, 'c');
        columns(wC, N * h, (N + 1) * h).assign(columns(w, 2 * h, 3 * h));
        columns(wC, R * h, (Z + 1) * h).assign(columns(w, 0, 2 * h));
        INDArray rwC = workspaceMgr.dup(work, bp.rw(), 'c');
        INDArray gradW = bp.gradW();
        INDArray gradRwT = bp.gradRw().transpose();
        INDArray gradB = bp.gradB();
        INDArray dH = bp.dH();

        // Each step's pre-activation rows are overwritten by their gradients: dL/d(pre) of n, r, z
        // and dL/d(h·RW_n + b_hn), the operands of the gradient products below.
        Elements pre = Elements.of(p.pre);
        Elements act = Elements.of(p.act);
        Elements hs = Elements.of(p.hs);
        Elements dHs = Elements.of(dH);
        Elements mask = s.maskRows() == null ? null : Elements.of(s.maskRows());
        int size = (int) (h * m);

        for (long t = steps - 1; t >= firstStep; t--) {
            int preAt = (int) (t * rowsPerStep * m);
            int actAt = (int) (t * 3 * h * m);
            int stateAt = (int) (t * h * m);
            int dPrevAt = stateAt - size;
            boolean carry = t > firstStep;

            // h' = n + z' * (h - n), z' = mask * z + (1 - mask)
            int maskAt = (int) (t * m);
            for (int row = 0, i = 0; row < h; row++) {
                for (int column = 0; column < m; column++, i++) {
                    double dh = dHs.get(stateAt + i);
                    double update = act.get(actAt + Z * size + i);
                    double candidate = act.get(actAt + i);
                    double dCarry = dh * update;
                    if (carry) {
                        dHs.set(dPrevAt + i, dHs.get(dPrevAt + i) + dCarry);
                    }
                    double dCandidate = (dh - dCarry) * (1 - candidate * candidate);
                    pre.set(preAt + i, dCandidate);
                    double dUpdate = (hs.get(stateAt + i) - candidate) * dh;
                    if (mask != null) {
                        dUpdate *= mask.get(maskAt + column);
                    }
                    pre.set(preAt + Z * size + i, dUpdate * update * (1 - update));
                    // n = tanh(x·W_n + b_in + r * hn), hn = h·RW_n + b_hn; hn's rows become dL/d(hn).
                    double reset = act.get(actAt + R * size + i);
                    int recN = preAt + REC_N * size + i;
                    double dReset = dCandidate * pre.get(recN);
                    pre.set(recN, dCandidate * reset);
                    pre.set(preAt + R * size + i, dReset * reset * (1 - reset));
                }
            }
            if (carry) {
                Nd4j.gemm(rwC, p.pre(t, R, 3), s.state(dH, t - 1), false, false, 1.0, 1.0);
            }
        }

        // Parameter gradients and dL/d(input): sums over steps of per-step products. dL/dW is
        // summed in the step's row order n, r, z and put into W's column order r, z, n at the end.
        INDArray gradWT = workspaceMgr.createUninitialized(work, s.dataType(), new long[] {3 * h, nIn}, 'c');
        for (long t = firstStep; t < steps; t++) {
            INDArray dInputRows = p.pre(t, N, 3);
            double beta = t == firstStep ? 0.0 : 1.0;
            Nd4j.gemm(dInputRows, s.input(t), gradWT, false, true, 1.0, beta);
            Nd4j.gemm(p.pre(t, R, 3), s.state(p.hs, t), gradRwT, false, true, 1.0, beta);
            Nd4j.gemm(wC, dInputRows, s.step(bp.dx(), t, nIn), false, false, 1.0, 0.0);
        }
        columns(gradW, 0, 2 * h).assign(block(gradWT, R * h, 2 * h, 0, nIn).transpose());
        columns(gradW, 2 * h, 3 * h).assign(block(gradWT, N * h, h, 0, nIn).transpose());
        long rows = (steps - firstStep) * rowsPerStep;
        INDArray perStep = workspaceMgr.createUninitialized(work, s.dataType(), new long[] {1, rows}, 'c');
        RecurrentMath.rowSums(block(p.pre, firstStep * rowsPerStep, rows, 0, m), perStep.reshape(rows, 1),
                workspaceMgr, work);
        INDArray sums = workspaceMgr.createUninitialized(work, s.dataType(), new long[] {1, rowsPerStep}, 'c');
        RecurrentMath.columnSums(perStep.reshape('c', steps - firstStep, rowsPerStep), sums, workspaceMgr, work);
        columns(gradB, 0, 2 * h).assign(columns(sums, R * h, (Z + 1) * h));
        columns(gradB, 2 * h, 3 * h).assign(columns(sums, N * h, (N + 1) * h));
        columns(gradB, 3 * h, 4 * h).assign(columns(sums, REC_N * h, (REC_N + 1) * h));
    }
}
