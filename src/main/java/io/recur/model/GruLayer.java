package io.recur.model;

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
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The maths of a {@link Gru} layer: forward pass and backpropagation through time, vectorised per
 * time step. Works on a time-major copy of the sequence (row {@code t * minibatch + example}) so
 * that the input product of all steps is one matrix product and each step's slice is contiguous.
 * The update is written as {@code h' = n + z' * (h - n)} with {@code z' = 1 - mask * (1 - z)}, so a
 * masked step carries the state over unchanged.
 */
public class GruLayer extends BaseRecurrentLayer<Gru> {

    /** Key of the last state, {@code [minibatch, nOut]}, in the stored-state maps. */
    public static final String STATE_KEY = "prevAct";

    // The forward pass of a truncated-BPTT segment starts from this state; backprop has to rebuild
    // that same pass, but by then tBpttStateMap already holds the segment's final state.
    private INDArray segmentStartState;

    // The buffers of the last training forward pass, which backprop reuses instead of running the
    // pass again when it is about the same input, mask and start state (as in every fit). They
    // live in the ACTIVATIONS workspace, which stays open until backprop like the layer's input.
    private ForwardPass trainingPass;

    public GruLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return forward(null, training, false, workspaceMgr).output;
    }

    @Override
    public INDArray rnnTimeStep(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        ForwardPass pass = forward(stateMap.get(STATE_KEY), false, false, workspaceMgr);
        storeFinalState(stateMap, pass);
        return pass.output;
    }

    @Override
    public INDArray rnnActivateUsingStoredState(INDArray input, boolean training, boolean storeLastForTBPTT,
                                                LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        segmentStartState = tBpttStateMap.get(STATE_KEY);
        ForwardPass pass = forward(segmentStartState, training, false, workspaceMgr);
        if (storeLastForTBPTT) {
            storeFinalState(tBpttStateMap, pass);
        }
        return pass.output;
    }

    @Override
    public void rnnClearPreviousState() {
        super.rnnClearPreviousState();
        segmentStartState = null;
        trainingPass = null;
    }

    @Override
    public void clear() {
        super.clear();
        trainingPass = null;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        return backprop(epsilon, null, -1, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> tbpttBackpropGradient(INDArray epsilon, int tbpttBackLength,
                                                         LayerWorkspaceMgr workspaceMgr) {
        return backprop(epsilon, segmentStartState, tbpttBackLength, workspaceMgr);
    }

    /**
     * Buffers of one forward pass, all 'c'-ordered. Gate buffers are gate-major: gate g's
     * pre-activations of all steps are rows {@code [g*T*m, (g+1)*T*m)}, step t of it rows
     * {@code (g*T + t)*m ...}, so that every per-step operand is a contiguous {@code [m, H]} block
     * (ND4J's element-wise ops are several times slower on strided views) and every gate's
     * whole-sequence product is one matrix product.
     */
    private static final class ForwardPass {
        long m;
        long steps;
        INDArray x;        // [T*m, nIn] input, row t*m + example
        INDArray pre;      // [3*T*m, H] pre-activations of r, z, n (dL/d of them after backprop)
        INDArray act;      // [3*T*m, H] r, z' (z where unmasked, 1 where masked), n
        INDArray recN;     // reset-after: [T*m, H] h·RW_n + b_hn (dL/d of it after backprop)
        INDArray resetState; // reset-before: [T*m, H] r * h
        INDArray states;   // [(T+1)*m, H] initial state, then the state after each step
        INDArray maskRows; // [T*m, 1] or null
        INDArray output;   // layer output (null when the pass only serves backprop)
        INDArray input;    // what the pass was computed from, to recognise it in backprop
        INDArray mask;
        INDArray initialState;

        /** Step t's rows of a time-major {@code [T*m, cols]} buffer. */
        INDArray step(INDArray a, long t) {
            return block(a, t * m, m, 0, a.size(1));
        }

        /** Gate g's rows of step t in a gate-major buffer. */
        INDArray gate(INDArray a, int g, long t) {
            return block(a, (g * steps + t) * m, m, 0, a.size(1));
        }

        /** Gate g's rows of steps [from, T) in a gate-major buffer. */
        INDArray gateFrom(INDArray a, int g, long from) {
            return block(a, (g * steps + from) * m, (steps - from) * m, 0, a.size(1));
        }
    }

    private static final int R = 0;
    private static final int Z = 1;
    private static final int N = 2;

    /** Gate g's columns of a weight matrix; contiguous, since DL4J keeps weights in 'f' order. */
    private static INDArray gateColumns(INDArray a, int g, long h) {
        return a.get(all(), interval(g * h, (g + 1) * h));
    }

    /** {@code out = fn(pre)}; one op for sigmoid and tanh instead of a copy and an in-place op. */
    private static void activate(IActivation fn, INDArray pre, INDArray out, boolean training) {
        if (fn instanceof ActivationSigmoid) {
            Nd4j.getExecutioner().exec(new Sigmoid(pre, out));
        } else if (fn instanceof ActivationTanH) {
            Nd4j.getExecutioner().exec(new Tanh(pre, out));
        } else {
            fn.getActivation(out.assign(pre), training);
        }
    }

    /**
     * Replaces {@code pre} by dL/d(pre), given dL/d(out) for {@code out = fn(pre)}; sigmoid and
     * tanh take their derivative from {@code out} (see {@link RecurrentMath}).
     */
    private static void backpropInPlace(IActivation fn, INDArray pre, INDArray out, INDArray dOut) {
        if (fn instanceof ActivationSigmoid) {
            RecurrentMath.sigmoidDerivativeFromOutput(out, pre);
            Nd4j.exec(new MulOp(pre, dOut, pre));
        } else if (fn instanceof ActivationTanH) {
            RecurrentMath.tanhDerivativeFromOutput(out, pre);
            Nd4j.exec(new MulOp(pre, dOut, pre));
        } else {
            INDArray result = fn.backprop(pre, dOut).getFirst();
            if (result != pre) {
                pre.assign(result);
            }
        }
    }

    private ForwardPass forward(INDArray initialState, boolean training, boolean forBackprop,
                                LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(forBackprop);
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray in = permuteIfNWC(input);
        Preconditions.checkState(in.rank() == 3,
                "Gru layer (index %s) expects 3D input [minibatch, nIn, timeSteps], got shape %s",
                getIndex(), in.shape());
        if (in.dataType() != dataType) {
            in = in.castTo(dataType);
        }
        Gru conf = layerConf();
        boolean resetAfter = conf.isResetAfter();
        IActivation gateFn = conf.getGateActivationFn();
        IActivation candidateFn = conf.getActivationFn();
        long m = in.size(0);
        long nIn = in.size(1);
        long steps = in.size(2);
        long h = conf.getNOut();
        Preconditions.checkState(nIn == conf.getNIn(),
                "Gru layer (index %s) has nIn=%s but its input has size %s in dimension 1", getIndex(),
                conf.getNIn(), nIn);
        ArrayType work = forBackprop ? ArrayType.BP_WORKING_MEM
                : training ? ArrayType.ACTIVATIONS : ArrayType.FF_WORKING_MEM;

        INDArray w = getParamWithNoise(GruParamInitializer.WEIGHT_KEY, training, workspaceMgr);
        INDArray rw = getParamWithNoise(GruParamInitializer.RECURRENT_WEIGHT_KEY, training, workspaceMgr);
        INDArray b = getParamWithNoise(GruParamInitializer.BIAS_KEY, training, workspaceMgr);

        ForwardPass p = new ForwardPass();
        p.input = input;
        p.mask = maskArray;
        p.initialState = initialState;
        p.m = m;
        p.steps = steps;
        p.x = workspaceMgr.dup(work, in.permute(2, 0, 1), 'c').reshape('c', steps * m, nIn);
        p.pre = workspaceMgr.createUninitialized(work, dataType, new long[] {3 * steps * m, h}, 'c');
        for (int g = R; g <= N; g++) {
            INDArray preGate = p.gateFrom(p.pre, g, 0);
            Nd4j.gemm(p.x, gateColumns(w, g, h), preGate, false, false, 1.0, 0.0);
            preGate.addiRowVector(gateColumns(b, g, h));
        }
        p.act = workspaceMgr.createUninitialized(work, dataType, new long[] {3 * steps * m, h}, 'c');
        p.states = workspaceMgr.createUninitialized(work, dataType, new long[] {(steps + 1) * m, h}, 'c');
        INDArray first = p.step(p.states, 0);
        if (initialState == null) {
            first.assign(0);
        } else {
            Preconditions.checkState(initialState.size(0) == m,
                    "Gru layer (index %s): stored state has minibatch %s but the input has %s; "
                            + "call rnnClearPreviousState() before changing the minibatch size",
                    getIndex(), initialState.size(0), m);
            first.assign(initialState);
        }
        if (maskArray != null) {
            p.maskRows = workspaceMgr.dup(work, maskArray.castTo(dataType).transpose(), 'c')
                    .reshape('c', steps * m, 1);
        }
        INDArray scratch = workspaceMgr.createUninitialized(work, dataType, new long[] {m, h}, 'c');
        if (resetAfter) {
            // b_hn goes in up front; each step's recurrent product then adds onto it.
            p.recN = workspaceMgr.createUninitialized(work, dataType, new long[] {steps * m, h}, 'c');
            p.recN.assign(0).addiRowVector(gateColumns(b, 3, h));
        } else {
            p.resetState = workspaceMgr.createUninitialized(work, dataType, new long[] {steps * m, h}, 'c');
        }
        INDArray rwReset = gateColumns(rw, R, h);
        INDArray rwUpdate = gateColumns(rw, Z, h);
        INDArray rwCandidate = gateColumns(rw, N, h);

        for (long t = 0; t < steps; t++) {
            INDArray prev = p.step(p.states, t);
            INDArray next = p.step(p.states, t + 1);
            INDArray preReset = p.gate(p.pre, R, t);
            INDArray preUpdate = p.gate(p.pre, Z, t);
            INDArray preCandidate = p.gate(p.pre, N, t);
            INDArray reset = p.gate(p.act, R, t);
            INDArray update = p.gate(p.act, Z, t);
            INDArray candidate = p.gate(p.act, N, t);

            Nd4j.gemm(prev, rwReset, preReset, false, false, 1.0, 1.0);
            Nd4j.gemm(prev, rwUpdate, preUpdate, false, false, 1.0, 1.0);
            activate(gateFn, preReset, reset, training);
            activate(gateFn, preUpdate, update, training);
            if (resetAfter) {
                INDArray recN = p.step(p.recN, t);
                Nd4j.gemm(prev, rwCandidate, recN, false, false, 1.0, 1.0);
                Nd4j.exec(new MulOp(reset, recN, scratch));
                preCandidate.addi(scratch);
            } else {
                INDArray resetPrev = p.step(p.resetState, t);
                Nd4j.exec(new MulOp(reset, prev, resetPrev));
                Nd4j.gemm(resetPrev, rwCandidate, preCandidate, false, false, 1.0, 1.0);
            }
            activate(candidateFn, preCandidate, candidate, training);

            if (p.maskRows != null) {
                update.rsubi(1.0).muliColumnVector(p.step(p.maskRows, t)).rsubi(1.0);
            }
            Nd4j.exec(new SubOp(prev, candidate, next));
            next.muli(update).addi(candidate);
        }

        if (!forBackprop) {
            INDArray sequence = p.states.get(interval(m, (steps + 1) * m), all()).reshape('c', steps, m, h);
            INDArray out = workspaceMgr.dup(ArrayType.ACTIVATIONS, sequence.permute(1, 2, 0), 'f');
            if (maskArray != null) {
                Nd4j.getExecutioner().exec(new BroadcastMulOp(out, maskArray.castTo(dataType), out, 0, 2));
            }
            p.output = permuteIfNWC(out);
        }
        trainingPass = training && !forBackprop ? p : null;
        return p;
    }

    private Pair<Gradient, INDArray> backprop(INDArray epsilon, INDArray initialState, int backLength,
                                              LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        ForwardPass p = trainingPass;
        trainingPass = null;
        if (p == null || p.input != input || p.mask != maskArray || p.initialState != initialState) {
            p = forward(initialState, true, true, workspaceMgr);
        }
        Gru conf = layerConf();
        boolean resetAfter = conf.isResetAfter();
        IActivation gateFn = conf.getGateActivationFn();
        IActivation candidateFn = conf.getActivationFn();
        long m = p.m;
        long steps = p.steps;
        long h = conf.getNOut();
        long nIn = conf.getNIn();
        ArrayType work = ArrayType.BP_WORKING_MEM;

        INDArray w = getParamWithNoise(GruParamInitializer.WEIGHT_KEY, true, workspaceMgr);
        INDArray rw = getParamWithNoise(GruParamInitializer.RECURRENT_WEIGHT_KEY, true, workspaceMgr);
        INDArray rwReset = gateColumns(rw, R, h);
        INDArray rwUpdate = gateColumns(rw, Z, h);
        INDArray rwCandidate = gateColumns(rw, N, h);
        INDArray gradW = gradientViews.get(GruParamInitializer.WEIGHT_KEY);
        INDArray gradRw = gradientViews.get(GruParamInitializer.RECURRENT_WEIGHT_KEY);
        INDArray gradB = gradientViews.get(GruParamInitializer.BIAS_KEY);

        // dL/d(state) per step: from the output above (zero where masked), plus what flows back
        // from the next step, added in place as the loop walks backwards.
        INDArray eps = permuteIfNWC(epsilon);
        if (eps.dataType() != dataType) {
            eps = eps.castTo(dataType);
        }
        INDArray dStates = workspaceMgr.dup(work, eps.permute(2, 0, 1), 'c').reshape('c', steps * m, h);
        if (p.maskRows != null) {
            dStates.muliColumnVector(p.maskRows);
        }
        long firstStep = backLength > 0 ? Math.max(0, steps - backLength) : 0;

        INDArray dCandidate = workspaceMgr.createUninitialized(work, dataType, new long[] {m, h}, 'c');
        INDArray dCarry = workspaceMgr.createUninitialized(work, dataType, new long[] {m, h}, 'c');
        INDArray dReset = workspaceMgr.createUninitialized(work, dataType, new long[] {m, h}, 'c');
        INDArray dUpdate = workspaceMgr.createUninitialized(work, dataType, new long[] {m, h}, 'c');
        INDArray dResetPrev = resetAfter ? null
                : workspaceMgr.createUninitialized(work, dataType, new long[] {m, h}, 'c');

        for (long t = steps - 1; t >= firstStep; t--) {
            INDArray dh = p.step(dStates, t);
            INDArray prev = p.step(p.states, t);
            INDArray preReset = p.gate(p.pre, R, t);
            INDArray preUpdate = p.gate(p.pre, Z, t);
            INDArray preCandidate = p.gate(p.pre, N, t);
            INDArray reset = p.gate(p.act, R, t);
            INDArray update = p.gate(p.act, Z, t);
            INDArray candidate = p.gate(p.act, N, t);

            // h' = n + z' * (h - n), z' = 1 - mask * (1 - z)
            Nd4j.exec(new MulOp(dh, update, dCarry));
            Nd4j.exec(new SubOp(dh, dCarry, dCandidate));
            Nd4j.exec(new SubOp(prev, candidate, dUpdate));
            dUpdate.muli(dh);
            if (p.maskRows != null) {
                dUpdate.muliColumnVector(p.step(p.maskRows, t));
            }
            backpropInPlace(candidateFn, preCandidate, candidate, dCandidate);

            if (resetAfter) {
                // n = act(x·W_n + b_in + r * hn), hn = h·RW_n + b_hn
                INDArray recN = p.step(p.recN, t);
                Nd4j.exec(new MulOp(preCandidate, recN, dReset));
                Nd4j.exec(new MulOp(preCandidate, reset, recN));
            } else {
                // n = act(x·W_n + b_n + (r * h)·RW_n)
                Nd4j.gemm(preCandidate, rwCandidate, dResetPrev, false, true, 1.0, 0.0);
                Nd4j.exec(new MulOp(dResetPrev, prev, dReset));
            }
            backpropInPlace(gateFn, preReset, reset, dReset);
            backpropInPlace(gateFn, preUpdate, update, dUpdate);

            if (t > firstStep) {
                INDArray dPrev = p.step(dStates, t - 1);
                dPrev.addi(dCarry);
                Nd4j.gemm(preReset, rwReset, dPrev, false, true, 1.0, 1.0);
                Nd4j.gemm(preUpdate, rwUpdate, dPrev, false, true, 1.0, 1.0);
                if (resetAfter) {
                    Nd4j.gemm(p.step(p.recN, t), rwCandidate, dPrev, false, true, 1.0, 1.0);
                } else {
                    dPrev.addi(dResetPrev.muli(reset));
                }
            }
        }

        // Whole-sequence products: parameter gradients and dL/d(input) of all steps at once.
        long rows = (steps - firstStep) * m;
        INDArray xs = block(p.x, firstStep * m, rows, 0, nIn);
        INDArray prevs = block(p.states, firstStep * m, rows, 0, h);
        INDArray dx = firstStep == 0
                ? workspaceMgr.createUninitialized(work, dataType, new long[] {steps * m, nIn}, 'c')
                : workspaceMgr.create(work, dataType, new long[] {steps * m, nIn}, 'c');
        INDArray dxs = block(dx, firstStep * m, rows, 0, nIn);
        for (int g = R; g <= N; g++) {
            INDArray dPre = p.gateFrom(p.pre, g, firstStep);
            Nd4j.gemm(xs, dPre, gateColumns(gradW, g, h), true, false, 1.0, 0.0);
            RecurrentMath.columnSums(dPre, gateColumns(gradB, g, h), workspaceMgr, work);
            Nd4j.gemm(dPre, gateColumns(w, g, h), dxs, false, true, 1.0, g == R ? 0.0 : 1.0);
        }
        Nd4j.gemm(prevs, p.gateFrom(p.pre, R, firstStep), gateColumns(gradRw, R, h), true, false, 1.0, 0.0);
        Nd4j.gemm(prevs, p.gateFrom(p.pre, Z, firstStep), gateColumns(gradRw, Z, h), true, false, 1.0, 0.0);
        if (resetAfter) {
            INDArray dRecN = block(p.recN, firstStep * m, rows, 0, h);
            Nd4j.gemm(prevs, dRecN, gateColumns(gradRw, N, h), true, false, 1.0, 0.0);
            RecurrentMath.columnSums(dRecN, gateColumns(gradB, 3, h), workspaceMgr, work);
        } else {
            INDArray resetPrevs = block(p.resetState, firstStep * m, rows, 0, h);
            Nd4j.gemm(resetPrevs, p.gateFrom(p.pre, N, firstStep), gateColumns(gradRw, N, h), true, false, 1.0, 0.0);
        }
        INDArray epsOut = workspaceMgr.dup(ArrayType.ACTIVATION_GRAD,
                dx.reshape('c', steps, m, nIn).permute(1, 2, 0), 'f');
        epsOut = backpropDropOutIfPresent(permuteIfNWC(epsOut));

        weightNoiseParams.clear();
        Gradient gradient = new DefaultGradient(gradientsFlattened);
        gradient.gradientForVariable().put(GruParamInitializer.WEIGHT_KEY, gradW);
        gradient.gradientForVariable().put(GruParamInitializer.RECURRENT_WEIGHT_KEY, gradRw);
        gradient.gradientForVariable().put(GruParamInitializer.BIAS_KEY, gradB);
        return new Pair<>(gradient, epsOut);
    }

    private static void storeFinalState(Map<String, INDArray> stateMap, ForwardPass pass) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            stateMap.put(STATE_KEY, pass.step(pass.states, pass.steps).dup());
        }
    }
}
