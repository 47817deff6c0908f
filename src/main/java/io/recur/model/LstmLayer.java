package io.recur.model;

import static io.recur.model.LstmParamInitializer.BLOCKS;
import static io.recur.model.LstmParamInitializer.CANDIDATE;
import static io.recur.model.LstmParamInitializer.FORGET_GATE;
import static io.recur.model.LstmParamInitializer.INPUT_GATE;
import static io.recur.model.LstmParamInitializer.OUTPUT_GATE;
import static io.recur.model.RecurrentMath.block;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

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
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The maths of an {@link Lstm} layer: forward pass and backpropagation through time, vectorised
 * per time step. Works on a time-major copy of the sequence (row {@code t * minibatch + example})
 * so that the input product of all steps is one matrix product and each step's slice is
 * contiguous; per step there is one recurrent product and a few element-wise ops. The gate
 * activations are stored, and backprop takes the derivatives from them and overwrites them with
 * dL/d(pre-activation), so the parameter gradients are whole-sequence products after the loop.
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

    /** Buffers of one forward pass; all are 'c'-ordered with row {@code t * m + example}. */
    private static final class ForwardPass {
        long m;
        long steps;
        long h;
        INDArray x;        // [T*m, nIn] input
        INDArray gates;    // [T*m, 4H] i, f, o, g activations (dL/d of the pre-activations after backprop)
        INDArray hs;       // [(T+1)*m, H] initial h, then h after each step
        INDArray cs;       // [(T+1)*m, H] initial c, then c after each step
        INDArray tanhC;    // [T*m, H] tanh(c) of each step
        INDArray maskRows; // [T*m, 1] or null
        INDArray keepRows; // [T*m, 1] 1 - mask, or null
        INDArray output;   // layer output (null when the pass only serves backprop)
        INDArray input;    // what the pass was computed from, to recognise it in backprop
        INDArray mask;
        INDArray initialH;
        INDArray initialC;

        INDArray rows(INDArray a, long t) {
            return block(a, t * m, m, 0, a.size(1));
        }

        INDArray gate(long t, int gate) {
            return block(gates, t * m, m, gate * h, h);
        }

        /** i, f and o of step t: one [m, 3H] block. */
        INDArray sigmoidGates(long t) {
            return block(gates, t * m, m, 0, 3 * h);
        }
    }

    private static void exec(org.nd4j.linalg.api.ops.CustomOp op) {
        Nd4j.getExecutioner().exec(op);
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

        ForwardPass p = new ForwardPass();
        p.input = input;
        p.mask = maskArray;
        p.initialH = initialH;
        p.initialC = initialC;
        p.m = m;
        p.steps = steps;
        p.h = h;
        p.x = workspaceMgr.dup(work, in.permute(2, 0, 1), 'c').reshape('c', steps * m, nIn);
        p.gates = workspaceMgr.createUninitialized(work, dataType, new long[] {steps * m, BLOCKS * h}, 'c');
        Nd4j.gemm(p.x, w, p.gates, false, false, 1.0, 0.0);
        p.gates.addiRowVector(b);
        p.hs = workspaceMgr.createUninitialized(work, dataType, new long[] {(steps + 1) * m, h}, 'c');
        p.cs = workspaceMgr.createUninitialized(work, dataType, new long[] {(steps + 1) * m, h}, 'c');
        p.tanhC = workspaceMgr.createUninitialized(work, dataType, new long[] {steps * m, h}, 'c');
        setInitial(p.rows(p.hs, 0), initialH, m);
        setInitial(p.rows(p.cs, 0), initialC, m);
        if (maskArray != null) {
            p.maskRows = workspaceMgr.dup(work, maskArray.castTo(dataType).transpose(), 'c')
                    .reshape('c', steps * m, 1);
            p.keepRows = workspaceMgr.dup(work, p.maskRows).rsubi(1.0);
        }
        INDArray scratch = workspaceMgr.createUninitialized(work, dataType, new long[] {m, h}, 'c');

        for (long t = 0; t < steps; t++) {
            INDArray prevH = p.rows(p.hs, t);
            INDArray prevC = p.rows(p.cs, t);
            INDArray nextH = p.rows(p.hs, t + 1);
            INDArray nextC = p.rows(p.cs, t + 1);
            INDArray sigmoidGates = p.sigmoidGates(t);
            INDArray inputGate = p.gate(t, INPUT_GATE);
            INDArray forgetGate = p.gate(t, FORGET_GATE);
            INDArray outputGate = p.gate(t, OUTPUT_GATE);
            INDArray candidate = p.gate(t, CANDIDATE);
            INDArray tanhC = p.rows(p.tanhC, t);

            Nd4j.gemm(prevH, rw, p.rows(p.gates, t), false, false, 1.0, 1.0);
            Nd4j.getExecutioner().exec(new Sigmoid(sigmoidGates, sigmoidGates));
            Nd4j.getExecutioner().exec(new Tanh(candidate, candidate));
            if (p.maskRows != null) {
                // i = o = 0 and f = 1 where masked: c carries over and the gate derivatives vanish.
                sigmoidGates.muliColumnVector(p.rows(p.maskRows, t));
                forgetGate.addiColumnVector(p.rows(p.keepRows, t));
            }
            exec(new MulOp(forgetGate, prevC, nextC));
            exec(new MulOp(inputGate, candidate, scratch));
            exec(new AddOp(nextC, scratch, nextC));
            Nd4j.getExecutioner().exec(new Tanh(nextC, tanhC));
            exec(new MulOp(outputGate, tanhC, nextH));
            if (p.keepRows != null) {
                Nd4j.getExecutioner().exec(new BroadcastMulOp(prevH, p.rows(p.keepRows, t), scratch, 0));
                exec(new AddOp(nextH, scratch, nextH));
            }
        }

        if (!forBackprop) {
            INDArray sequence = p.hs.get(interval(m, (steps + 1) * m), all()).reshape('c', steps, m, h);
            INDArray out = workspaceMgr.dup(ArrayType.ACTIVATIONS, sequence.permute(1, 2, 0), 'f');
            if (maskArray != null) {
                Nd4j.getExecutioner().exec(new BroadcastMulOp(out, maskArray.castTo(dataType), out, 0, 2));
            }
            p.output = permuteIfNWC(out);
        }
        trainingPass = training && !forBackprop ? p : null;
        return p;
    }

    private void setInitial(INDArray first, INDArray initial, long m) {
        if (initial == null) {
            first.assign(0);
            return;
        }
        Preconditions.checkState(initial.size(0) == m,
                "Lstm layer (index %s): stored state has minibatch %s but the input has %s; "
                        + "call rnnClearPreviousState() before changing the minibatch size",
                getIndex(), initial.size(0), m);
        first.assign(initial);
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

        INDArray w = getParamWithNoise(LstmParamInitializer.WEIGHT_KEY, true, workspaceMgr);
        INDArray rw = getParamWithNoise(LstmParamInitializer.RECURRENT_WEIGHT_KEY, true, workspaceMgr);
        INDArray gradW = gradientViews.get(LstmParamInitializer.WEIGHT_KEY);
        INDArray gradRw = gradientViews.get(LstmParamInitializer.RECURRENT_WEIGHT_KEY);
        INDArray gradB = gradientViews.get(LstmParamInitializer.BIAS_KEY);

        // dL/dh per step: from the output above (zero where masked), plus what flows back from the
        // next step, added in place as the loop walks backwards.
        INDArray eps = permuteIfNWC(epsilon);
        if (eps.dataType() != dataType) {
            eps = eps.castTo(dataType);
        }
        INDArray dH = workspaceMgr.dup(work, eps.permute(2, 0, 1), 'c').reshape('c', steps * m, h);
        if (p.maskRows != null) {
            dH.muliColumnVector(p.maskRows);
        }
        long firstStep = backLength > 0 ? Math.max(0, steps - backLength) : 0;

        // dL/d(gate activations) of one step, in the gates' column layout.
        INDArray dAct = workspaceMgr.createUninitialized(work, dataType, new long[] {m, BLOCKS * h}, 'c');
        INDArray dSigmoidGates = block(dAct, 0, m, 0, 3 * h);
        INDArray dInput = block(dAct, 0, m, INPUT_GATE * h, h);
        INDArray dForget = block(dAct, 0, m, FORGET_GATE * h, h);
        INDArray dOutput = block(dAct, 0, m, OUTPUT_GATE * h, h);
        INDArray dCandidate = block(dAct, 0, m, CANDIDATE * h, h);
        INDArray dC = workspaceMgr.createUninitialized(work, dataType, new long[] {m, h}, 'c');
        INDArray dCarry = workspaceMgr.createUninitialized(work, dataType, new long[] {m, h}, 'c');
        INDArray scratch = workspaceMgr.createUninitialized(work, dataType, new long[] {m, h}, 'c');

        for (long t = steps - 1; t >= firstStep; t--) {
            INDArray dh = p.rows(dH, t);
            INDArray prevC = p.rows(p.cs, t);
            INDArray tanhC = p.rows(p.tanhC, t);
            INDArray sigmoidGates = p.sigmoidGates(t);
            INDArray inputGate = p.gate(t, INPUT_GATE);
            INDArray forgetGate = p.gate(t, FORGET_GATE);
            INDArray outputGate = p.gate(t, OUTPUT_GATE);
            INDArray candidate = p.gate(t, CANDIDATE);

            // h' = o * tanh(c'): dL/do, and dL/dc' = carried + dL/dh' * o * (1 - tanh²(c'))
            exec(new MulOp(dh, tanhC, dOutput));
            exec(new MulOp(dh, outputGate, dC));
            RecurrentMath.tanhDerivativeFromOutput(tanhC, scratch);
            exec(new MulOp(dC, scratch, dC));
            if (t < steps - 1) {
                exec(new AddOp(dC, dCarry, dC));
            }
            // c' = f * c + i * g
            exec(new MulOp(dC, candidate, dInput));
            exec(new MulOp(dC, prevC, dForget));
            exec(new MulOp(dC, inputGate, dCandidate));
            exec(new MulOp(dC, forgetGate, dCarry));
            // The gates' storage becomes dL/d(pre-activation).
            RecurrentMath.sigmoidDerivativeFromOutput(sigmoidGates, sigmoidGates);
            exec(new MulOp(dSigmoidGates, sigmoidGates, sigmoidGates));
            RecurrentMath.tanhDerivativeFromOutput(candidate, candidate);
            exec(new MulOp(dCandidate, candidate, candidate));

            if (t > firstStep) {
                INDArray dPrev = p.rows(dH, t - 1);
                Nd4j.gemm(p.rows(p.gates, t), rw, dPrev, false, true, 1.0, 1.0);
                if (p.keepRows != null) {
                    Nd4j.getExecutioner().exec(new BroadcastMulOp(dh, p.rows(p.keepRows, t), scratch, 0));
                    exec(new AddOp(dPrev, scratch, dPrev));
                }
            }
        }

        // Whole-sequence products: parameter gradients and dL/d(input) of all steps at once.
        long rows = (steps - firstStep) * m;
        INDArray dPre = block(p.gates, firstStep * m, rows, 0, BLOCKS * h);
        INDArray xs = block(p.x, firstStep * m, rows, 0, nIn);
        INDArray prevs = block(p.hs, firstStep * m, rows, 0, h);
        Nd4j.gemm(xs, dPre, gradW, true, false, 1.0, 0.0);
        Nd4j.gemm(prevs, dPre, gradRw, true, false, 1.0, 0.0);
        RecurrentMath.columnSums(dPre, gradB, workspaceMgr, work);
        INDArray dx = firstStep == 0
                ? workspaceMgr.createUninitialized(work, dataType, new long[] {steps * m, nIn}, 'c')
                : workspaceMgr.create(work, dataType, new long[] {steps * m, nIn}, 'c');
        Nd4j.gemm(dPre, w, block(dx, firstStep * m, rows, 0, nIn), false, true, 1.0, 0.0);
        INDArray epsOut = workspaceMgr.dup(ArrayType.ACTIVATION_GRAD,
                dx.reshape('c', steps, m, nIn).permute(1, 2, 0), 'f');
        epsOut = backpropDropOutIfPresent(permuteIfNWC(epsOut));

        weightNoiseParams.clear();
        Gradient gradient = new DefaultGradient(gradientsFlattened);
        gradient.gradientForVariable().put(LstmParamInitializer.WEIGHT_KEY, gradW);
        gradient.gradientForVariable().put(LstmParamInitializer.RECURRENT_WEIGHT_KEY, gradRw);
        gradient.gradientForVariable().put(LstmParamInitializer.BIAS_KEY, gradB);
        return new Pair<>(gradient, epsOut);
    }

    private static void storeFinalState(Map<String, INDArray> stateMap, ForwardPass pass) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            stateMap.put(STATE_KEY, pass.rows(pass.hs, pass.steps).dup());
            stateMap.put(CELL_KEY, pass.rows(pass.cs, pass.steps).dup());
        }
    }
}
