package io.recur.model;

import static io.recur.model.RecurrentMath.block;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Long short-term memory without peepholes, for input x, previous output h and cell state c:
 * <pre>
 * i, f, o = sigmoid(W_i x + R_i h + b_i), ... (one block each)
 * g       = tanh(W_g x + R_g h + b_g)
 * c'      = f * c + i * g
 * h'      = o * tanh(c')
 * </pre>
 * Gate blocks in the order i, f, o, g: the three sigmoid gates first, so that one op activates
 * them, then the tanh block g (PyTorch's order is i, f, g, o; DL4J's LSTM uses g, f, o, i).
 * {@code W} [nIn, 4H], {@code RW} [H, 4H], {@code b} [1, 4H] (PyTorch's {@code b_ih + b_hh}); the
 * forget gate's bias starts at 1.0, as in DL4J. The states are h and c, stored under DL4J LSTM's
 * keys {@code prevAct} and {@code prevMem}.
 *
 * <p>Per step: the input and recurrent products into the step's pre-activations (bias added up
 * front), one sigmoid over the contiguous i, f, o blocks, one tanh over g, one over c', and the
 * rest of the cell's arithmetic in two fused passes over host memory ({@link Elements}). Backprop
 * is one fused pass per step: it takes the gate derivatives from the stored activations and
 * overwrites them with dL/d(pre-activation); the parameter gradients are products after the loop.
 * Masks: at a masked step the stored gates are set to i = 0, f = 1, o = 0, which carries c over
 * and makes every gate derivative zero there, and h' = o * tanh(c') + (1 - mask) * h carries h.
 */
final class LstmCell implements CellMath {
    static final LstmCell INSTANCE = new LstmCell();

    /** Number of gate blocks and their positions in W, RW and b. */
    static final int BLOCKS = 4;
    static final int INPUT_GATE = 0;
    static final int FORGET_GATE = 1;
    static final int OUTPUT_GATE = 2;
    static final int CANDIDATE = 3;
    static final double FORGET_GATE_BIAS_INIT = 1.0;

    private LstmCell() {}

    private static final class Pass extends ForwardPass {
        INDArray gates;    // [T*4H, m] i, f, o, g activations (dL/d of the pre-activations after backprop)
        INDArray hs;       // [(T+1)*H, m] initial h, then h after each step
        INDArray cs;       // [(T+1)*H, m] initial c, then c after each step
        INDArray tanhC;    // [T*H, m] tanh(c) of each step

        Pass(Sequence seq) {
            super(seq);
        }

        INDArray stepGates(long t) {
            return seq.step(gates, t, BLOCKS * seq.h());
        }

        INDArray gate(long t, int gate) {
            long h = seq.h();
            return block(gates, (t * BLOCKS + gate) * h, h, 0, seq.m());
        }

        /** i, f and o of step t: one contiguous [3H, m] block. */
        INDArray sigmoidGates(long t) {
            long h = seq.h();
            return block(gates, t * BLOCKS * h, 3 * h, 0, seq.m());
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
            return seq.state(k == 0 ? hs : cs, seq.steps());
        }
    }

    @Override
    public int blocks() {
        return BLOCKS;
    }

    @Override
    public void initBias(INDArray bias, long units, double biasInit) {
        bias.assign(biasInit);
        gate(bias, FORGET_GATE, units).assign(FORGET_GATE_BIAS_INIT);
    }

    // Forget-gate bias ln(u), input-gate bias -ln(u): a unit starts out remembering rather than writing.
    @Override
    public void chronoInit(INDArray bias, INDArray logU, long units) {
        gate(bias, FORGET_GATE, units).assign(logU);
        gate(bias, INPUT_GATE, units).assign(logU.neg());
    }

    private static INDArray gate(INDArray bias, int gate, long units) {
        return bias.get(interval(0, 0, true), interval(gate * units, (gate + 1) * units));
    }

    @Override
    public int states() {
        return 2;
    }

    // Step-major input copy, the four gate blocks, tanh(c), and the h and c sequences.
    @Override
    public long forwardElementsPerStep(long nIn, long units) {
        return nIn + 4 * units + units + 2 * units;
    }

    @Override
    public ForwardPass forward(Sequence s, INDArray w, INDArray rw, INDArray b, INDArray[] initialStates) {
        long m = s.m();
        long steps = s.steps();
        long h = s.h();
        INDArray wT = w.transpose();
        INDArray rwT = rw.transpose();

        Pass p = new Pass(s);
        // The bias goes in up front; each step's products then add onto it.
        p.gates = s.zeros(steps * BLOCKS * h);
        INDArray gates3d = p.gates.reshape('c', steps, BLOCKS * h, m);
        Nd4j.getExecutioner().exec(new BroadcastAddOp(gates3d, b.reshape(BLOCKS * h), gates3d, 1));
        p.hs = s.buffer((steps + 1) * h);
        p.cs = s.buffer((steps + 1) * h);
        p.tanhC = s.buffer(steps * h);
        s.setInitialState(s.state(p.hs, 0), initialStates[0]);
        s.setInitialState(s.state(p.cs, 0), initialStates[1]);
        Elements gates = Elements.of(p.gates);
        Elements hs = Elements.of(p.hs);
        Elements cs = Elements.of(p.cs);
        Elements tanhCs = Elements.of(p.tanhC);
        Elements mask = s.maskRows() == null ? null : Elements.of(s.maskRows());
        int size = (int) (h * m);

        for (long t = 0; t < steps; t++) {
            int gatesAt = (int) (t * BLOCKS * h * m);
            int prevAt = (int) (t * h * m);
            int nextAt = prevAt + size;
            int maskAt = (int) (t * m);
            INDArray tanhC = s.state(p.tanhC, t);

            Nd4j.gemm(wT, s.input(t), p.stepGates(t), false, false, 1.0, 1.0);
            Nd4j.gemm(rwT, s.state(p.hs, t), p.stepGates(t), false, false, 1.0, 1.0);
            Nd4j.getExecutioner().exec(new Sigmoid(p.sigmoidGates(t), p.sigmoidGates(t)));
            Nd4j.getExecutioner().exec(new Tanh(p.gate(t, CANDIDATE), p.gate(t, CANDIDATE)));
            // c' = f * c + i * g; where masked i = o = 0 and f = 1, so c carries over and the gate
            // derivatives vanish.
            for (int row = 0, i = 0; row < h; row++) {
                for (int column = 0; column < m; column++, i++) {
                    int input = gatesAt + INPUT_GATE * size + i;
                    int forget = gatesAt + FORGET_GATE * size + i;
                    double inputGate = gates.get(input);
                    double forgetGate = gates.get(forget);
                    if (mask != null) {
                        double keep = mask.get(maskAt + column);
                        int output = gatesAt + OUTPUT_GATE * size + i;
                        inputGate *= keep;
                        forgetGate = forgetGate * keep + (1 - keep);
                        gates.set(input, inputGate);
                        gates.set(forget, forgetGate);
                        gates.set(output, gates.get(output) * keep);
                    }
                    cs.set(nextAt + i, forgetGate * cs.get(prevAt + i)
                            + inputGate * gates.get(gatesAt + CANDIDATE * size + i));
                }
            }
            Nd4j.getExecutioner().exec(new Tanh(s.state(p.cs, t + 1), tanhC));
            // h' = o * tanh(c'), and the previous h where masked.
            for (int row = 0, i = 0; row < h; row++) {
                for (int column = 0; column < m; column++, i++) {
                    double next = gates.get(gatesAt + OUTPUT_GATE * size + i) * tanhCs.get(prevAt + i);
                    if (mask != null) {
                        next += (1 - mask.get(maskAt + column)) * hs.get(prevAt + i);
                    }
                    hs.set(nextAt + i, next);
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
        // RW are copied to 'c' order once, which also runs the per-step products ~20% faster than
        // their transposed views with a transpose flag.
        INDArray w = workspaceMgr.dup(work, bp.w(), 'c');
        INDArray rw = workspaceMgr.dup(work, bp.rw(), 'c');
        INDArray gradWT = bp.gradW().transpose();
        INDArray gradRwT = bp.gradRw().transpose();
        INDArray dH = bp.dH();

        // Each step's gate rows are overwritten by dL/d(pre-activation), the operands of the
        // gradient products below; dL/dc flows back through dCarry.
        INDArray dCarryArray = workspaceMgr.create(work, s.dataType(), new long[] {h, m}, 'c');
        Elements gates = Elements.of(p.gates);
        Elements cs = Elements.of(p.cs);
        Elements tanhCs = Elements.of(p.tanhC);
        Elements dHs = Elements.of(dH);
        Elements dCarry = Elements.of(dCarryArray);
        Elements mask = s.maskRows() == null ? null : Elements.of(s.maskRows());
        int size = (int) (h * m);

        for (long t = steps - 1; t >= firstStep; t--) {
            int gatesAt = (int) (t * BLOCKS * h * m);
            int stateAt = (int) (t * h * m);
            int dPrevAt = stateAt - size;
            int maskAt = (int) (t * m);
            boolean carry = t > firstStep;
            for (int row = 0, i = 0; row < h; row++) {
                for (int column = 0; column < m; column++, i++) {
                    double dh = dHs.get(stateAt + i);
                    int input = gatesAt + INPUT_GATE * size + i;
                    int forget = gatesAt + FORGET_GATE * size + i;
                    int output = gatesAt + OUTPUT_GATE * size + i;
                    int candidate = gatesAt + CANDIDATE * size + i;
                    double inputGate = gates.get(input);
                    double forgetGate = gates.get(forget);
                    double outputGate = gates.get(output);
                    double g = gates.get(candidate);
                    double tanhC = tanhCs.get(stateAt + i);
                    // h' = o * tanh(c'): dL/dc' = carried + dL/dh' * o * (1 - tanh²(c'))
                    double dC = dh * outputGate * (1 - tanhC * tanhC) + dCarry.get(i);
                    // c' = f * c + i * g; the gates' storage becomes dL/d(pre-activation).
                    dCarry.set(i, dC * forgetGate);
                    gates.set(input, dC * g * inputGate * (1 - inputGate));
                    gates.set(forget, dC * cs.get(stateAt + i) * forgetGate * (1 - forgetGate));
                    gates.set(output, dh * tanhC * outputGate * (1 - outputGate));
                    gates.set(candidate, dC * inputGate * (1 - g * g));
                    if (carry && mask != null) {
                        dHs.set(dPrevAt + i, dHs.get(dPrevAt + i) + dh * (1 - mask.get(maskAt + column)));
                    }
                }
            }
            if (carry) {
                Nd4j.gemm(rw, p.stepGates(t), s.state(dH, t - 1), false, false, 1.0, 1.0);
            }
        }

        // Parameter gradients and dL/d(input): sums over steps of per-step products.
        for (long t = firstStep; t < steps; t++) {
            INDArray dPre = p.stepGates(t);
            double beta = t == firstStep ? 0.0 : 1.0;
            Nd4j.gemm(dPre, s.input(t), gradWT, false, true, 1.0, beta);
            Nd4j.gemm(dPre, s.state(p.hs, t), gradRwT, false, true, 1.0, beta);
            Nd4j.gemm(w, dPre, s.step(bp.dx(), t, nIn), false, false, 1.0, 0.0);
        }
        long rows = (steps - firstStep) * BLOCKS * h;
        INDArray perStep = workspaceMgr.createUninitialized(work, s.dataType(), new long[] {1, rows}, 'c');
        RecurrentMath.rowSums(block(p.gates, firstStep * BLOCKS * h, rows, 0, m), perStep.reshape(rows, 1),
                workspaceMgr, work);
        RecurrentMath.columnSums(perStep.reshape('c', steps - firstStep, BLOCKS * h), bp.gradB(), workspaceMgr, work);
    }
}
