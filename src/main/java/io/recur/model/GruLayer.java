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
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The maths of a {@link Gru} layer: forward pass and backpropagation through time, vectorised per
 * time step. As in {@link LstmLayer}, every per-step array is stored transposed, features by
 * examples ({@code [size, minibatch]}, row-major, one block per step): the memory layout of DL4J's
 * 'f'-ordered {@code [minibatch, size, timeSteps]} activations, so input, output and both
 * gradients pass without transposing copies, and each gate block is one contiguous
 * {@code [H, minibatch]} array. A step's pre-activation block holds the rows n, r, z (and, in the
 * reset-after form, {@code h·RW_n + b_hn}), so that the input product fills n, r, z with one
 * matrix product and the recurrent product fills r, z and {@code h·RW_n} with one more (the
 * reset-before form needs a second one for {@code (r * h)·RW_n}). The update is written as
 * {@code h' = n + z' * (h - n)} with {@code z' = mask * z + (1 - mask)}, so a masked step carries
 * the state over unchanged. Sigmoid and tanh take their derivatives from the stored activations;
 * other activations go through {@link IActivation#backprop}.
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
     * Buffers of one forward pass; all 'c'-ordered 2D arrays of per-step blocks with m columns. A
     * step's pre-activation block has the rows n, r, z, then (reset-after only) h·RW_n + b_hn.
     */
    private static final class ForwardPass {
        long m;
        long steps;
        long h;
        long rowsPerStep;  // of pre: 4H reset-after, 3H reset-before
        INDArray x;        // [T*nIn, m] input, step t in rows t*nIn
        INDArray pre;      // [T*rowsPerStep, m] pre-activations (dL/d of them after backprop)
        INDArray act;      // [T*3H, m] n, r, z' (z where unmasked, 1 where masked)
        INDArray hs;       // [(T+1)*H, m] initial state, then the state after each step
        INDArray resetState; // reset-before: [T*H, m] r * h
        INDArray maskRows; // [T, m] or null
        INDArray keepRows; // [T, m] 1 - mask, or null
        INDArray output;   // layer output (null when the pass only serves backprop)
        INDArray input;    // what the pass was computed from, to recognise it in backprop
        INDArray mask;
        INDArray initialState;

        /** Step t's block of an array with {@code rowsPerStep} rows per step. */
        INDArray step(INDArray a, long t, long rows) {
            return block(a, t * rows, rows, 0, m);
        }

        INDArray state(INDArray a, long t) {
            return block(a, t * h, h, 0, m);
        }

        /** {@code count} H-row blocks of step t's pre-activations, from block {@code first}. */
        INDArray pre(long t, long first, long count) {
            return block(pre, t * rowsPerStep + first * h, count * h, 0, m);
        }

        /** {@code count} H-row blocks of step t's activations, from block {@code first}. */
        INDArray act(long t, long first, long count) {
            return block(act, (t * 3 + first) * h, count * h, 0, m);
        }

        INDArray row(INDArray a, long t) {
            return block(a, t, 1, 0, m);
        }
    }

    // Row blocks of a step: the candidate first, so that one input product fills n, r, z and one
    // recurrent product (reset-after) fills r, z and h·RW_n, whose columns are in that order in RW.
    private static final int N = 0;
    private static final int R = 1;
    private static final int Z = 2;
    private static final int REC_N = 3;

    /** Columns [from, to) of a parameter (or gradient) matrix, as a view. */
    private static INDArray columns(INDArray a, long from, long to) {
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

    /**
     * The 2D {@code [T * size, m]} row-major view of an 'f'-ordered {@code [m, size, T]} array,
     * copied into {@code arrayType} first when {@code a} has another layout.
     */
    private static INDArray stepMajor(INDArray a, LayerWorkspaceMgr workspaceMgr, ArrayType arrayType,
                                      boolean alwaysCopy) {
        long m = a.size(0);
        long size = a.size(1);
        long steps = a.size(2);
        long[] fStrides = {1, m, m * size};
        INDArray f = !alwaysCopy && java.util.Arrays.equals(a.stride(), fStrides) ? a
                : workspaceMgr.dup(arrayType, a, 'f');
        return Nd4j.create(f.data(), new long[] {steps * size, m}, new long[] {m, 1}, f.offset(), 'c',
                f.dataType());
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
        long rowsPerStep = (resetAfter ? 4 : 3) * h;
        // W's gate columns reordered to the step's rows n, r, z; RW's rows r, z, n as they are.
        INDArray wT = workspaceMgr.createUninitialized(work, dataType, new long[] {3 * h, nIn}, 'c');
        block(wT, N * h, h, 0, nIn).assign(columns(w, 2 * h, 3 * h).transpose());
        block(wT, R * h, 2 * h, 0, nIn).assign(columns(w, 0, 2 * h).transpose());
        INDArray rwT = workspaceMgr.dup(work, rw.transpose(), 'c');
        INDArray bias = workspaceMgr.createUninitialized(work, dataType, new long[] {1, rowsPerStep}, 'c');
        columns(bias, N * h, (N + 1) * h).assign(columns(b, 2 * h, 3 * h));
        columns(bias, R * h, (Z + 1) * h).assign(columns(b, 0, 2 * h));
        if (resetAfter) {
            columns(bias, REC_N * h, (REC_N + 1) * h).assign(columns(b, 3 * h, 4 * h));
        }

        ForwardPass p = new ForwardPass();
        p.input = input;
        p.mask = maskArray;
        p.initialState = initialState;
        p.m = m;
        p.steps = steps;
        p.h = h;
        p.rowsPerStep = rowsPerStep;
        p.x = stepMajor(in, workspaceMgr, work, false);
        // The bias goes in up front; each step's products then add onto it.
        p.pre = workspaceMgr.create(work, dataType, new long[] {steps * rowsPerStep, m}, 'c');
        INDArray pre3d = p.pre.reshape('c', steps, rowsPerStep, m);
        Nd4j.getExecutioner().exec(new BroadcastAddOp(pre3d, bias.reshape(rowsPerStep), pre3d, 1));
        p.act = workspaceMgr.createUninitialized(work, dataType, new long[] {steps * 3 * h, m}, 'c');
        p.hs = workspaceMgr.createUninitialized(work, dataType, new long[] {(steps + 1) * h, m}, 'c');
        if (!resetAfter) {
            p.resetState = workspaceMgr.createUninitialized(work, dataType, new long[] {steps * h, m}, 'c');
        }
        setInitial(p.state(p.hs, 0), initialState, m);
        if (maskArray != null) {
            p.maskRows = workspaceMgr.dup(work, maskArray.castTo(dataType).transpose(), 'c');
            p.keepRows = workspaceMgr.dup(work, p.maskRows).rsubi(1.0);
        }
        INDArray scratch = workspaceMgr.createUninitialized(work, dataType, new long[] {h, m}, 'c');
        INDArray rwGates = block(rwT, 0, 2 * h, 0, h);
        INDArray rwCandidate = block(rwT, 2 * h, h, 0, h);

        for (long t = 0; t < steps; t++) {
            INDArray prev = p.state(p.hs, t);
            INDArray next = p.state(p.hs, t + 1);
            INDArray preCandidate = p.pre(t, N, 1);
            INDArray preGates = p.pre(t, R, 2);
            INDArray candidate = p.act(t, N, 1);
            INDArray gates = p.act(t, R, 2);
            INDArray reset = p.act(t, R, 1);
            INDArray update = p.act(t, Z, 1);

            Nd4j.gemm(wT, p.step(p.x, t, nIn), p.pre(t, N, 3), false, false, 1.0, 1.0);
            if (resetAfter) {
                Nd4j.gemm(rwT, prev, p.pre(t, R, 3), false, false, 1.0, 1.0);
                activate(gateFn, preGates, gates, training);
                // n = act(x·W_n + b_in + r * (h·RW_n + b_hn))
                exec(new MulOp(reset, p.pre(t, REC_N, 1), scratch));
                exec(new AddOp(preCandidate, scratch, preCandidate));
            } else {
                Nd4j.gemm(rwGates, prev, preGates, false, false, 1.0, 1.0);
                activate(gateFn, preGates, gates, training);
                // n = act(x·W_n + b_n + (r * h)·RW_n)
                INDArray resetPrev = p.state(p.resetState, t);
                exec(new MulOp(reset, prev, resetPrev));
                Nd4j.gemm(rwCandidate, resetPrev, preCandidate, false, false, 1.0, 1.0);
            }
            activate(candidateFn, preCandidate, candidate, training);

            if (p.maskRows != null) {
                update.muliRowVector(p.row(p.maskRows, t));
                update.addiRowVector(p.row(p.keepRows, t));
            }
            exec(new SubOp(prev, candidate, next));
            exec(new MulOp(next, update, next));
            exec(new AddOp(next, candidate, next));
        }

        if (!forBackprop) {
            // Rows h.. of hs are the 'f'-ordered [m, H, T] output's memory.
            INDArray sequence = Nd4j.create(p.hs.data(), new long[] {m, h, steps}, new long[] {1, m, m * h},
                    p.hs.offset() + h * m, 'f', dataType);
            INDArray out = workspaceMgr.dup(ArrayType.ACTIVATIONS, sequence, 'f');
            if (maskArray != null) {
                Nd4j.getExecutioner().exec(new BroadcastMulOp(out, maskArray.castTo(dataType), out, 0, 2));
            }
            p.output = permuteIfNWC(out);
        }
        trainingPass = training && !forBackprop ? p : null;
        return p;
    }

    private static void exec(CustomOp op) {
        Nd4j.getExecutioner().exec(op);
    }

    /** Sets the [H, m] initial state block from a stored [m, H] state, or to zero. */
    private void setInitial(INDArray first, INDArray initial, long m) {
        if (initial == null) {
            first.assign(0);
            return;
        }
        Preconditions.checkState(initial.size(0) == m,
                "Gru layer (index %s): stored state has minibatch %s but the input has %s; "
                        + "call rnnClearPreviousState() before changing the minibatch size",
                getIndex(), initial.size(0), m);
        first.assign(initial.transpose());
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
        long rowsPerStep = p.rowsPerStep;
        ArrayType work = ArrayType.BP_WORKING_MEM;

        // Every product takes 'c'-ordered operands and result (mixed orders cost hidden copies):
        // W with its columns reordered to n, r, z, and RW (r, z, n, matching the rows r, z, h·RW_n
        // of a reset-after step) copied once per backprop.
        INDArray w = getParamWithNoise(GruParamInitializer.WEIGHT_KEY, true, workspaceMgr);
        INDArray rw = getParamWithNoise(GruParamInitializer.RECURRENT_WEIGHT_KEY, true, workspaceMgr);
        INDArray wC = workspaceMgr.createUninitialized(work, dataType, new long[] {nIn, 3 * h}, 'c');
        columns(wC, N * h, (N + 1) * h).assign(columns(w, 2 * h, 3 * h));
        columns(wC, R * h, (Z + 1) * h).assign(columns(w, 0, 2 * h));
        INDArray rwC = resetAfter ? workspaceMgr.dup(work, rw, 'c') : null;
        INDArray rwGates = resetAfter ? null : workspaceMgr.dup(work, columns(rw, 0, 2 * h), 'c');
        INDArray rwCandidate = resetAfter ? null : workspaceMgr.dup(work, columns(rw, 2 * h, 3 * h), 'c');
        INDArray gradW = gradientViews.get(GruParamInitializer.WEIGHT_KEY);
        INDArray gradRw = gradientViews.get(GruParamInitializer.RECURRENT_WEIGHT_KEY);
        INDArray gradRwT = gradRw.transpose();
        INDArray gradB = gradientViews.get(GruParamInitializer.BIAS_KEY);

        // dL/d(state) per step: from the output above (zero where masked), plus what flows back
        // from the next step, added in place as the loop walks backwards.
        INDArray eps = permuteIfNWC(epsilon);
        if (eps.dataType() != dataType) {
            eps = eps.castTo(dataType);
        }
        INDArray dH = stepMajor(eps, workspaceMgr, work, true);
        if (p.maskRows != null) {
            INDArray dH3d = dH.reshape('c', steps, h, m);
            Nd4j.getExecutioner().exec(new BroadcastMulOp(dH3d, p.maskRows, dH3d, 0, 2));
        }
        long firstStep = backLength > 0 ? Math.max(0, steps - backLength) : 0;

        // dL/d(activations) of one step, in the activations' row layout n, r, z.
        INDArray dAct = workspaceMgr.createUninitialized(work, dataType, new long[] {3 * h, m}, 'c');
        INDArray dCandidate = block(dAct, N * h, h, 0, m);
        INDArray dGates = block(dAct, R * h, 2 * h, 0, m);
        INDArray dReset = block(dAct, R * h, h, 0, m);
        INDArray dUpdate = block(dAct, Z * h, h, 0, m);
        INDArray dCarry = workspaceMgr.createUninitialized(work, dataType, new long[] {h, m}, 'c');
        INDArray dResetPrev = resetAfter ? null
                : workspaceMgr.createUninitialized(work, dataType, new long[] {h, m}, 'c');

        for (long t = steps - 1; t >= firstStep; t--) {
            INDArray dh = p.state(dH, t);
            INDArray prev = p.state(p.hs, t);
            INDArray preCandidate = p.pre(t, N, 1);
            INDArray preGates = p.pre(t, R, 2);
            INDArray candidate = p.act(t, N, 1);
            INDArray gates = p.act(t, R, 2);
            INDArray reset = p.act(t, R, 1);
            INDArray update = p.act(t, Z, 1);

            // h' = n + z' * (h - n), z' = mask * z + (1 - mask)
            exec(new MulOp(dh, update, dCarry));
            exec(new SubOp(dh, dCarry, dCandidate));
            exec(new SubOp(prev, candidate, dUpdate));
            exec(new MulOp(dUpdate, dh, dUpdate));
            if (p.maskRows != null) {
                dUpdate.muliRowVector(p.row(p.maskRows, t));
            }
            backpropInPlace(candidateFn, preCandidate, candidate, dCandidate);
            if (resetAfter) {
                // n = act(x·W_n + b_in + r * hn), hn = h·RW_n + b_hn; hn's rows become dL/d(hn).
                INDArray recN = p.pre(t, REC_N, 1);
                exec(new MulOp(preCandidate, recN, dReset));
                exec(new MulOp(preCandidate, reset, recN));
            } else {
                // n = act(x·W_n + b_n + (r * h)·RW_n)
                Nd4j.gemm(rwCandidate, preCandidate, dResetPrev, false, false, 1.0, 0.0);
                exec(new MulOp(dResetPrev, prev, dReset));
            }
            backpropInPlace(gateFn, preGates, gates, dGates);

            if (t > firstStep) {
                INDArray dPrev = p.state(dH, t - 1);
                exec(new AddOp(dPrev, dCarry, dPrev));
                if (resetAfter) {
                    Nd4j.gemm(rwC, p.pre(t, R, 3), dPrev, false, false, 1.0, 1.0);
                } else {
                    Nd4j.gemm(rwGates, preGates, dPrev, false, false, 1.0, 1.0);
                    exec(new MulOp(dResetPrev, reset, dResetPrev));
                    exec(new AddOp(dPrev, dResetPrev, dPrev));
                }
            }
        }

        // Parameter gradients and dL/d(input): sums over steps of per-step products. dL/dW is
        // summed in the step's row order n, r, z and put into W's column order r, z, n at the end.
        INDArray epsOut = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, dataType, new long[] {m, nIn, steps}, 'f');
        INDArray dx = stepMajor(epsOut, workspaceMgr, ArrayType.ACTIVATION_GRAD, false);
        INDArray gradWT = workspaceMgr.createUninitialized(work, dataType, new long[] {3 * h, nIn}, 'c');
        for (long t = firstStep; t < steps; t++) {
            INDArray dInputRows = p.pre(t, N, 3);
            INDArray prev = p.state(p.hs, t);
            double beta = t == firstStep ? 0.0 : 1.0;
            Nd4j.gemm(dInputRows, p.step(p.x, t, nIn), gradWT, false, true, 1.0, beta);
            if (resetAfter) {
                Nd4j.gemm(p.pre(t, R, 3), prev, gradRwT, false, true, 1.0, beta);
            } else {
                Nd4j.gemm(p.pre(t, R, 2), prev, block(gradRwT, 0, 2 * h, 0, h), false, true, 1.0, beta);
                Nd4j.gemm(p.pre(t, N, 1), p.state(p.resetState, t), block(gradRwT, 2 * h, h, 0, h),
                        false, true, 1.0, beta);
            }
            Nd4j.gemm(wC, dInputRows, p.step(dx, t, nIn), false, false, 1.0, 0.0);
        }
        columns(gradW, 0, 2 * h).assign(block(gradWT, R * h, 2 * h, 0, nIn).transpose());
        columns(gradW, 2 * h, 3 * h).assign(block(gradWT, N * h, h, 0, nIn).transpose());
        long rows = (steps - firstStep) * rowsPerStep;
        INDArray perStep = workspaceMgr.createUninitialized(work, dataType, new long[] {1, rows}, 'c');
        RecurrentMath.rowSums(block(p.pre, firstStep * rowsPerStep, rows, 0, m), perStep.reshape(rows, 1),
                workspaceMgr, work);
        INDArray sums = workspaceMgr.createUninitialized(work, dataType, new long[] {1, rowsPerStep}, 'c');
        RecurrentMath.columnSums(perStep.reshape('c', steps - firstStep, rowsPerStep), sums, workspaceMgr, work);
        columns(gradB, 0, 2 * h).assign(columns(sums, R * h, (Z + 1) * h));
        columns(gradB, 2 * h, 3 * h).assign(columns(sums, N * h, (N + 1) * h));
        if (resetAfter) {
            columns(gradB, 3 * h, 4 * h).assign(columns(sums, REC_N * h, (REC_N + 1) * h));
        }
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
            stateMap.put(STATE_KEY, pass.state(pass.hs, pass.steps).transpose().dup('c'));
        }
    }
}
