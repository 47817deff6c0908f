package io.recur.model;

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

    /** Buffers of one forward pass; all are 'c'-ordered with row {@code t * m + example}. */
    private static final class ForwardPass {
        long m;
        long steps;
        INDArray x;        // [T*m, nIn] input
        INDArray pre;      // [T*m, 3H] pre-activations of r, z, n (dL/d of them after backprop)
        INDArray act;      // [T*m, 3H] r, z' (z where unmasked, 1 where masked), n
        INDArray rec;      // reset-after: [T*m, 3H] h·RW, with b_hn added to the n block
        INDArray resetState; // reset-before: [T*m, H] r * h
        INDArray states;   // [(T+1)*m, H] initial state, then the state after each step
        INDArray maskRows; // [T*m, 1] or null
        INDArray output;   // layer output (null when the pass only serves backprop)
        INDArray input;    // what the pass was computed from, to recognise it in backprop
        INDArray mask;
        INDArray initialState;

        INDArray rows(INDArray a, long t) {
            return block(a, t * m, m, 0, a.size(1));
        }

        INDArray rows(INDArray a, long t, long col0, long cols) {
            return block(a, t * m, m, col0, cols);
        }
    }

    /**
     * Rows and columns of a contiguous 'c'-ordered matrix as a view. Built directly on the buffer:
     * the loops take several such views per step, and INDArray.get(...) costs several times more.
     */
    private static INDArray block(INDArray a, long row0, long rows, long col0, long cols) {
        long width = a.size(1);
        return Nd4j.create(a.data(), new long[] {rows, cols}, new long[] {width, 1},
                a.offset() + row0 * width + col0, 'c', a.dataType());
    }

    private static INDArray cols(INDArray a, long from, long to) {
        return a.get(all(), interval(from, to));
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
        p.pre = workspaceMgr.createUninitialized(work, dataType, new long[] {steps * m, 3 * h}, 'c');
        Nd4j.gemm(p.x, w, p.pre, false, false, 1.0, 0.0);
        p.pre.addiRowVector(cols(b, 0, 3 * h));
        p.act = workspaceMgr.createUninitialized(work, dataType, new long[] {steps * m, 3 * h}, 'c');
        p.states = workspaceMgr.createUninitialized(work, dataType, new long[] {(steps + 1) * m, h}, 'c');
        INDArray first = p.rows(p.states, 0);
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
        INDArray gateScratch = null;
        if (resetAfter) {
            // b_hn goes in up front; each step's recurrent product then adds onto it.
            p.rec = workspaceMgr.create(work, dataType, new long[] {steps * m, 3 * h}, 'c');
            block(p.rec, 0, steps * m, 2 * h, h).addiRowVector(cols(b, 3 * h, 4 * h));
        } else {
            p.resetState = workspaceMgr.createUninitialized(work, dataType, new long[] {steps * m, h}, 'c');
            gateScratch = workspaceMgr.createUninitialized(work, dataType, new long[] {m, 2 * h}, 'c');
        }
        INDArray rwGates = cols(rw, 0, 2 * h);
        INDArray rwCandidate = cols(rw, 2 * h, 3 * h);

        for (long t = 0; t < steps; t++) {
            INDArray prev = p.rows(p.states, t);
            INDArray next = p.rows(p.states, t + 1);
            INDArray preGates = p.rows(p.pre, t, 0, 2 * h);
            INDArray preCandidate = p.rows(p.pre, t, 2 * h, h);
            INDArray gates = p.rows(p.act, t, 0, 2 * h);
            INDArray reset = p.rows(p.act, t, 0, h);
            INDArray update = p.rows(p.act, t, h, h);
            INDArray candidate = p.rows(p.act, t, 2 * h, h);

            if (resetAfter) {
                INDArray rec = p.rows(p.rec, t);
                Nd4j.gemm(prev, rw, rec, false, false, 1.0, 1.0);
                preGates.addi(p.rows(p.rec, t, 0, 2 * h));
                activate(gateFn, preGates, gates, training);
                Nd4j.exec(new MulOp(reset, p.rows(p.rec, t, 2 * h, h), scratch));
            } else {
                Nd4j.gemm(prev, rwGates, gateScratch, false, false, 1.0, 0.0);
                preGates.addi(gateScratch);
                activate(gateFn, preGates, gates, training);
                INDArray resetPrev = p.rows(p.resetState, t);
                Nd4j.exec(new MulOp(reset, prev, resetPrev));
                Nd4j.gemm(resetPrev, rwCandidate, scratch, false, false, 1.0, 0.0);
            }
            preCandidate.addi(scratch);
            activate(candidateFn, preCandidate, candidate, training);

            if (p.maskRows != null) {
                update.rsubi(1.0).muliColumnVector(p.rows(p.maskRows, t)).rsubi(1.0);
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
        INDArray rwGates = cols(rw, 0, 2 * h);
        INDArray rwCandidate = cols(rw, 2 * h, 3 * h);
        INDArray gradW = gradientViews.get(GruParamInitializer.WEIGHT_KEY);
        INDArray gradRw = gradientViews.get(GruParamInitializer.RECURRENT_WEIGHT_KEY);
        INDArray gradB = gradientViews.get(GruParamInitializer.BIAS_KEY);
        INDArray gradRwGates = cols(gradRw, 0, 2 * h);
        INDArray gradRwCandidate = cols(gradRw, 2 * h, 3 * h);

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
        INDArray dGates = workspaceMgr.createUninitialized(work, dataType, new long[] {m, 2 * h}, 'c');
        INDArray dReset = block(dGates, 0, m, 0, h);
        INDArray dUpdate = block(dGates, 0, m, h, h);
        INDArray dResetPrev = null;
        INDArray dPreGates = null;
        INDArray dPreCandidate = null;
        if (!resetAfter) {
            dResetPrev = workspaceMgr.createUninitialized(work, dataType, new long[] {m, h}, 'c');
            dPreGates = workspaceMgr.createUninitialized(work, dataType, new long[] {m, 2 * h}, 'c');
            dPreCandidate = workspaceMgr.createUninitialized(work, dataType, new long[] {m, h}, 'c');
            gradRw.assign(0);
        }

        for (long t = steps - 1; t >= firstStep; t--) {
            INDArray dh = p.rows(dStates, t);
            INDArray prev = p.rows(p.states, t);
            INDArray preGates = p.rows(p.pre, t, 0, 2 * h);
            INDArray preCandidate = p.rows(p.pre, t, 2 * h, h);
            INDArray reset = p.rows(p.act, t, 0, h);
            INDArray update = p.rows(p.act, t, h, h);
            INDArray candidate = p.rows(p.act, t, 2 * h, h);

            // h' = n + z' * (h - n), z' = 1 - mask * (1 - z)
            Nd4j.exec(new MulOp(dh, update, dCarry));
            Nd4j.exec(new SubOp(dh, dCarry, dCandidate));
            Nd4j.exec(new SubOp(prev, candidate, dUpdate));
            dUpdate.muli(dh);
            if (p.maskRows != null) {
                dUpdate.muliColumnVector(p.rows(p.maskRows, t));
            }
            backpropInPlace(candidateFn, preCandidate, dCandidate);

            if (resetAfter) {
                // n = act(x·W_n + b_in + r * hn), hn = h·RW_n + b_hn
                INDArray hn = p.rows(p.rec, t, 2 * h, h);
                Nd4j.exec(new MulOp(preCandidate, hn, dReset));
                Nd4j.exec(new MulOp(preCandidate, reset, hn));
                backpropInPlace(gateFn, preGates, dGates);
                p.rows(p.rec, t, 0, 2 * h).assign(preGates);
            } else {
                // n = act(x·W_n + b_n + (r * h)·RW_n)
                INDArray resetPrev = p.rows(p.resetState, t);
                dPreCandidate.assign(preCandidate);
                Nd4j.gemm(dPreCandidate, rwCandidate, dResetPrev, false, true, 1.0, 0.0);
                Nd4j.exec(new MulOp(dResetPrev, prev, dReset));
                backpropInPlace(gateFn, preGates, dGates);
                dPreGates.assign(preGates);
                Nd4j.gemm(prev, dPreGates, gradRwGates, true, false, 1.0, 1.0);
                Nd4j.gemm(resetPrev, dPreCandidate, gradRwCandidate, true, false, 1.0, 1.0);
            }

            if (t > firstStep) {
                INDArray dPrev = p.rows(dStates, t - 1);
                dPrev.addi(dCarry);
                if (resetAfter) {
                    Nd4j.gemm(p.rows(p.rec, t), rw, dPrev, false, true, 1.0, 1.0);
                } else {
                    Nd4j.gemm(dPreGates, rwGates, dPrev, false, true, 1.0, 1.0);
                    dPrev.addi(dResetPrev.muli(reset));
                }
            }
        }

        // Whole-sequence products: parameter gradients and dL/d(input) of all steps at once.
        INDArray dPre = p.pre.get(interval(firstStep * m, steps * m), all());
        INDArray xs = p.x.get(interval(firstStep * m, steps * m), all());
        Nd4j.gemm(xs, dPre, gradW, true, false, 1.0, 0.0);
        cols(gradB, 0, 3 * h).assign(dPre.sum(true, 0));
        if (resetAfter) {
            INDArray dRec = p.rec.get(interval(firstStep * m, steps * m), all());
            INDArray prevs = p.states.get(interval(firstStep * m, steps * m), all());
            Nd4j.gemm(prevs, dRec, gradRw, true, false, 1.0, 0.0);
            cols(gradB, 3 * h, 4 * h).assign(cols(dRec, 2 * h, 3 * h).sum(true, 0));
        }
        INDArray dx = firstStep == 0
                ? workspaceMgr.createUninitialized(work, dataType, new long[] {steps * m, nIn}, 'c')
                : workspaceMgr.create(work, dataType, new long[] {steps * m, nIn}, 'c');
        Nd4j.gemm(dPre, w, dx.get(interval(firstStep * m, steps * m), all()), false, true, 1.0, 0.0);
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

    /** Replaces {@code preActivation} by dL/d(preActivation), given dL/d(activation). */
    private static void backpropInPlace(IActivation fn, INDArray preActivation, INDArray dActivation) {
        INDArray result = fn.backprop(preActivation, dActivation).getFirst();
        if (result != preActivation) {
            preActivation.assign(result);
        }
    }

    private static void storeFinalState(Map<String, INDArray> stateMap, ForwardPass pass) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            stateMap.put(STATE_KEY, pass.rows(pass.states, pass.steps).dup());
        }
    }
}
