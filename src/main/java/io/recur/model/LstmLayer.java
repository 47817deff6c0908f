package io.recur.model;

import static io.recur.model.LstmParamInitializer.BLOCKS;
import static io.recur.model.LstmParamInitializer.CANDIDATE;
import static io.recur.model.LstmParamInitializer.FORGET_GATE;
import static io.recur.model.LstmParamInitializer.INPUT_GATE;
import static io.recur.model.LstmParamInitializer.OUTPUT_GATE;
import static io.recur.model.RecurrentMath.block;
import static io.recur.model.RecurrentMath.stepMajor;

import java.util.Map;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.BaseRecurrentLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.base.Preconditions;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The maths of an {@link Lstm} layer: forward pass and backpropagation through time, vectorised
 * per time step. Every per-step array is stored transposed, features by examples
 * ({@code [size, minibatch]}, row-major, one block per step): that is the memory layout of DL4J's
 * 'f'-ordered {@code [minibatch, size, timeSteps]} activations, so input, output and both
 * gradients pass without transposing copies, and each gate block of a step is one contiguous
 * {@code [H, minibatch]} array (element-wise ops on strided blocks run up to ten times slower).
 * Per step: the input and recurrent products into the step's pre-activations (bias added up
 * front), one sigmoid over the contiguous i, f, o blocks, one tanh over g, one over c', and the
 * rest of the cell's arithmetic in two fused passes over host memory ({@link Elements}). Backprop
 * is one fused pass per step: it takes the gate derivatives from the stored activations and
 * overwrites them with dL/d(pre-activation); the parameter gradients are products after the loop.
 *
 * <p>Masks: at a masked step the stored gates are set to i = 0, f = 1, o = 0, which carries c over
 * and makes every gate derivative zero there, and h' = o * tanh(c') + (1 - mask) * h carries h.
 */
public class LstmLayer extends BaseRecurrentLayer<Lstm> {

    /** Key of the last output h, {@code [minibatch, nOut]}, in the stored-state maps (as DL4J's LSTM). */
    public static final String STATE_KEY = "prevAct";
    /** Key of the last cell state c, {@code [minibatch, nOut]}, in the stored-state maps (as DL4J's LSTM). */
    public static final String CELL_KEY = "prevMem";

    // The forward pass of a truncated-BPTT segment starts from this state; backprop has to rebuild
    // that same pass, but by then tBpttStateMap already holds the segment's final state.
    private INDArray segmentStartH;
    private INDArray segmentStartC;

    // The buffers of the last training forward pass, which backprop reuses instead of running the
    // pass again when it is about the same input, mask and start state (as in every fit). They
    // live in the ACTIVATIONS workspace, which stays open until backprop like the layer's input.
    private ForwardPass trainingPass;

    public LstmLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return forward(null, null, training, false, workspaceMgr).output;
    }

    @Override
    public INDArray rnnTimeStep(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        ForwardPass pass = forward(stateMap.get(STATE_KEY), stateMap.get(CELL_KEY), false, false, workspaceMgr);
        storeFinalState(stateMap, pass);
        return pass.output;
    }

    @Override
    public INDArray rnnActivateUsingStoredState(INDArray input, boolean training, boolean storeLastForTBPTT,
                                                LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        segmentStartH = tBpttStateMap.get(STATE_KEY);
        segmentStartC = tBpttStateMap.get(CELL_KEY);
        ForwardPass pass = forward(segmentStartH, segmentStartC, training, false, workspaceMgr);
        if (storeLastForTBPTT) {
            storeFinalState(tBpttStateMap, pass);
        }
        return pass.output;
    }

    @Override
    public void rnnClearPreviousState() {
        super.rnnClearPreviousState();
        segmentStartH = null;
        segmentStartC = null;
        trainingPass = null;
    }

    @Override
    public void clear() {
        super.clear();
        trainingPass = null;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        return backprop(epsilon, null, null, -1, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> tbpttBackpropGradient(INDArray epsilon, int tbpttBackLength,
                                                         LayerWorkspaceMgr workspaceMgr) {
        return backprop(epsilon, segmentStartH, segmentStartC, tbpttBackLength, workspaceMgr);
    }

    /** Buffers of one forward pass; all 'c'-ordered 2D arrays of per-step blocks with m columns. */
    private static final class ForwardPass {
        long m;
        long steps;
        long h;
        long nIn;
        INDArray x;        // [T*nIn, m] input, step t in rows t*nIn
        INDArray gates;    // [T*4H, m] i, f, o, g activations (dL/d of the pre-activations after backprop)
        INDArray hs;       // [(T+1)*H, m] initial h, then h after each step
        INDArray cs;       // [(T+1)*H, m] initial c, then c after each step
        INDArray tanhC;    // [T*H, m] tanh(c) of each step
        INDArray maskRows; // [T, m] or null
        INDArray output;   // layer output (null when the pass only serves backprop)
        INDArray input;    // what the pass was computed from, to recognise it in backprop
        INDArray mask;
        INDArray initialH;
        INDArray initialC;

        /** Step t's block of an array with {@code rowsPerStep} rows per step. */
        INDArray step(INDArray a, long t, long rowsPerStep) {
            return block(a, t * rowsPerStep, rowsPerStep, 0, m);
        }

        INDArray state(INDArray a, long t) {
            return block(a, t * h, h, 0, m);
        }

        INDArray stepGates(long t) {
            return block(gates, t * BLOCKS * h, BLOCKS * h, 0, m);
        }

        INDArray gate(long t, int gate) {
            return block(gates, (t * BLOCKS + gate) * h, h, 0, m);
        }

        /** i, f and o of step t: one contiguous [3H, m] block. */
        INDArray sigmoidGates(long t) {
            return block(gates, t * BLOCKS * h, 3 * h, 0, m);
        }
    }

    private ForwardPass forward(INDArray initialH, INDArray initialC, boolean training, boolean forBackprop,
                                LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(forBackprop);
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray in = permuteIfNWC(input);
        Preconditions.checkState(in.rank() == 3,
                "Lstm layer (index %s) expects 3D input [minibatch, nIn, timeSteps], got shape %s",
                getIndex(), in.shape());
        if (in.dataType() != dataType) {
            in = in.castTo(dataType);
        }
        Lstm conf = layerConf();
        long m = in.size(0);
        long nIn = in.size(1);
        long steps = in.size(2);
        long h = conf.getNOut();
        Preconditions.checkState(nIn == conf.getNIn(),
                "Lstm layer (index %s) has nIn=%s but its input has size %s in dimension 1", getIndex(),
                conf.getNIn(), nIn);
        ArrayType work = forBackprop ? ArrayType.BP_WORKING_MEM
                : training ? ArrayType.ACTIVATIONS : ArrayType.FF_WORKING_MEM;

        INDArray w = getParamWithNoise(LstmParamInitializer.WEIGHT_KEY, training, workspaceMgr);
        INDArray rw = getParamWithNoise(LstmParamInitializer.RECURRENT_WEIGHT_KEY, training, workspaceMgr);
        INDArray b = getParamWithNoise(LstmParamInitializer.BIAS_KEY, training, workspaceMgr);
        INDArray wT = w.transpose();
        INDArray rwT = rw.transpose();

        ForwardPass p = new ForwardPass();
        p.input = input;
        p.mask = maskArray;
        p.initialH = initialH;
        p.initialC = initialC;
        p.m = m;
        p.steps = steps;
        p.h = h;
        p.nIn = nIn;
        p.x = stepMajor(in, workspaceMgr, work, false);
        // The bias goes in up front; each step's products then add onto it.
        p.gates = workspaceMgr.create(work, dataType, new long[] {steps * BLOCKS * h, m}, 'c');
        INDArray gates3d = p.gates.reshape('c', steps, BLOCKS * h, m);
        Nd4j.getExecutioner().exec(new BroadcastAddOp(gates3d, b.reshape(BLOCKS * h), gates3d, 1));
        p.hs = workspaceMgr.createUninitialized(work, dataType, new long[] {(steps + 1) * h, m}, 'c');
        p.cs = workspaceMgr.createUninitialized(work, dataType, new long[] {(steps + 1) * h, m}, 'c');
        p.tanhC = workspaceMgr.createUninitialized(work, dataType, new long[] {steps * h, m}, 'c');
        RecurrentMath.setInitialState(p.state(p.hs, 0), initialH, "Lstm layer (index " + getIndex() + ")");
        RecurrentMath.setInitialState(p.state(p.cs, 0), initialC, "Lstm layer (index " + getIndex() + ")");
        p.maskRows = RecurrentMath.maskRows(maskArray, dataType, workspaceMgr, work);
        Elements gates = Elements.of(p.gates);
        Elements hs = Elements.of(p.hs);
        Elements cs = Elements.of(p.cs);
        Elements tanhCs = Elements.of(p.tanhC);
        Elements mask = p.maskRows == null ? null : Elements.of(p.maskRows);
        int size = (int) (h * m);

        for (long t = 0; t < steps; t++) {
            int gatesAt = (int) (t * BLOCKS * h * m);
            int prevAt = (int) (t * h * m);
            int nextAt = prevAt + size;
            int maskAt = (int) (t * m);
            INDArray tanhC = p.state(p.tanhC, t);

            Nd4j.gemm(wT, p.step(p.x, t, nIn), p.stepGates(t), false, false, 1.0, 1.0);
            Nd4j.gemm(rwT, p.state(p.hs, t), p.stepGates(t), false, false, 1.0, 1.0);
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
            Nd4j.getExecutioner().exec(new Tanh(p.state(p.cs, t + 1), tanhC));
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

        if (!forBackprop) {
            p.output = permuteIfNWC(RecurrentMath.sequenceOutput(p.hs, h, m, h, steps, maskArray, workspaceMgr));
        }
        trainingPass = training && !forBackprop ? p : null;
        return p;
    }

    private Pair<Gradient, INDArray> backprop(INDArray epsilon, INDArray initialH, INDArray initialC, int backLength,
                                              LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        ForwardPass p = trainingPass;
        trainingPass = null;
        if (p == null || p.input != input || p.mask != maskArray || p.initialH != initialH
                || p.initialC != initialC) {
            p = forward(initialH, initialC, true, true, workspaceMgr);
        }
        Lstm conf = layerConf();
        long m = p.m;
        long steps = p.steps;
        long h = conf.getNOut();
        long nIn = conf.getNIn();
        ArrayType work = ArrayType.BP_WORKING_MEM;

        // Every product takes 'c'-ordered operands and result: mixed orders cost hidden copies. The
        // gradients are written through transposed views of the 'f'-ordered gradient arrays; W and
        // RW are copied to 'c' order once, which also runs the per-step products ~20% faster than
        // their transposed views with a transpose flag.
        INDArray w = workspaceMgr.dup(work, getParamWithNoise(LstmParamInitializer.WEIGHT_KEY, true, workspaceMgr), 'c');
        INDArray rw = workspaceMgr.dup(work,
                getParamWithNoise(LstmParamInitializer.RECURRENT_WEIGHT_KEY, true, workspaceMgr), 'c');
        INDArray gradW = gradientViews.get(LstmParamInitializer.WEIGHT_KEY);
        INDArray gradRw = gradientViews.get(LstmParamInitializer.RECURRENT_WEIGHT_KEY);
        INDArray gradWT = gradW.transpose();
        INDArray gradRwT = gradRw.transpose();
        INDArray gradB = gradientViews.get(LstmParamInitializer.BIAS_KEY);

        // dL/dh per step: from the output above (zero where masked), plus what flows back from the
        // next step, added in place as the loop walks backwards.
        INDArray dH = RecurrentMath.stepMajorGradient(permuteIfNWC(epsilon), dataType, p.maskRows, workspaceMgr);
        long firstStep = backLength > 0 ? Math.max(0, steps - backLength) : 0;

        // Each step's gate rows are overwritten by dL/d(pre-activation), the operands of the
        // gradient products below; dL/dc flows back through dCarry.
        INDArray dCarryArray = workspaceMgr.create(work, dataType, new long[] {h, m}, 'c');
        Elements gates = Elements.of(p.gates);
        Elements cs = Elements.of(p.cs);
        Elements tanhCs = Elements.of(p.tanhC);
        Elements dHs = Elements.of(dH);
        Elements dCarry = Elements.of(dCarryArray);
        Elements mask = p.maskRows == null ? null : Elements.of(p.maskRows);
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
                Nd4j.gemm(rw, p.stepGates(t), p.state(dH, t - 1), false, false, 1.0, 1.0);
            }
        }

        // Parameter gradients and dL/d(input): sums over steps of per-step products.
        INDArray epsOut = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, dataType, new long[] {m, nIn, steps}, 'f');
        INDArray dx = stepMajor(epsOut, workspaceMgr, ArrayType.ACTIVATION_GRAD, false);
        for (long t = firstStep; t < steps; t++) {
            INDArray dPre = p.stepGates(t);
            double beta = t == firstStep ? 0.0 : 1.0;
            Nd4j.gemm(dPre, p.step(p.x, t, nIn), gradWT, false, true, 1.0, beta);
            Nd4j.gemm(dPre, p.state(p.hs, t), gradRwT, false, true, 1.0, beta);
            Nd4j.gemm(w, dPre, p.step(dx, t, nIn), false, false, 1.0, 0.0);
        }
        long rows = (steps - firstStep) * BLOCKS * h;
        INDArray perStep = workspaceMgr.createUninitialized(work, dataType, new long[] {1, rows}, 'c');
        RecurrentMath.rowSums(block(p.gates, firstStep * BLOCKS * h, rows, 0, m), perStep.reshape(rows, 1),
                workspaceMgr, work);
        RecurrentMath.columnSums(perStep.reshape('c', steps - firstStep, BLOCKS * h), gradB, workspaceMgr, work);
        epsOut = backpropDropOutIfPresent(permuteIfNWC(epsOut));

        weightNoiseParams.clear();
        Gradient gradient = new DefaultGradient(gradientsFlattened);
        gradient.gradientForVariable().put(LstmParamInitializer.WEIGHT_KEY, gradW);
        gradient.gradientForVariable().put(LstmParamInitializer.RECURRENT_WEIGHT_KEY, gradRw);
        gradient.gradientForVariable().put(LstmParamInitializer.BIAS_KEY, gradB);
        return new Pair<>(gradient, epsOut);
    }

    private static void storeFinalState(Map<String, INDArray> stateMap, ForwardPass pass) {
        RecurrentMath.storeState(stateMap, STATE_KEY, pass.state(pass.hs, pass.steps));
        RecurrentMath.storeState(stateMap, CELL_KEY, pass.state(pass.cs, pass.steps));
    }
}
