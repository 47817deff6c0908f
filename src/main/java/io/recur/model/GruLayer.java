package io.recur.model;

import static io.recur.model.RecurrentMath.block;
import static io.recur.model.RecurrentMath.stepMajor;
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
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
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
 * the state over unchanged. The activations are ND4J ops; the rest of a step's element-wise
 * arithmetic runs in fused passes over host memory ({@link Elements}), backprop's in one or two
 * per step. Sigmoid and tanh take their derivatives from the stored activations, other activations
 * from slopes computed by {@link IActivation#backprop} ({@link Derivative}).
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
        RecurrentMath.setInitialState(p.state(p.hs, 0), initialState, "Gru layer (index " + getIndex() + ")");
        p.maskRows = RecurrentMath.maskRows(maskArray, dataType, workspaceMgr, work);
        INDArray rwGates = block(rwT, 0, 2 * h, 0, h);
        INDArray rwCandidate = block(rwT, 2 * h, h, 0, h);
        Elements pre = Elements.of(p.pre);
        Elements act = Elements.of(p.act);
        Elements hs = Elements.of(p.hs);
        Elements resetState = resetAfter ? null : Elements.of(p.resetState);
        Elements mask = p.maskRows == null ? null : Elements.of(p.maskRows);
        int size = (int) (h * m);

        for (long t = 0; t < steps; t++) {
            INDArray prev = p.state(p.hs, t);
            INDArray preCandidate = p.pre(t, N, 1);
            int preAt = (int) (t * rowsPerStep * m);
            int actAt = (int) (t * 3 * h * m);
            int prevAt = (int) (t * h * m);

            Nd4j.gemm(wT, p.step(p.x, t, nIn), p.pre(t, N, 3), false, false, 1.0, 1.0);
            if (resetAfter) {
                Nd4j.gemm(rwT, prev, p.pre(t, R, 3), false, false, 1.0, 1.0);
                activate(gateFn, p.pre(t, R, 2), p.act(t, R, 2), training);
                // n = act(x·W_n + b_in + r * (h·RW_n + b_hn))
                for (int i = 0; i < size; i++) {
                    int n = preAt + i;
                    pre.set(n, pre.get(n) + act.get(actAt + R * size + i) * pre.get(preAt + REC_N * size + i));
                }
            } else {
                Nd4j.gemm(rwGates, prev, p.pre(t, R, 2), false, false, 1.0, 1.0);
                activate(gateFn, p.pre(t, R, 2), p.act(t, R, 2), training);
                // n = act(x·W_n + b_n + (r * h)·RW_n)
                for (int i = 0; i < size; i++) {
                    resetState.set(prevAt + i, act.get(actAt + R * size + i) * hs.get(prevAt + i));
                }
                Nd4j.gemm(rwCandidate, p.state(p.resetState, t), preCandidate, false, false, 1.0, 1.0);
            }
            activate(candidateFn, preCandidate, p.act(t, N, 1), training);

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

        if (!forBackprop) {
            p.output = permuteIfNWC(RecurrentMath.sequenceOutput(p.hs, h, m, h, steps, maskArray, workspaceMgr));
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
        INDArray dH = RecurrentMath.stepMajorGradient(permuteIfNWC(epsilon), dataType, p.maskRows, workspaceMgr);
        long firstStep = backLength > 0 ? Math.max(0, steps - backLength) : 0;

        // Each step's pre-activation rows are overwritten by their gradients: dL/d(pre) of n, r, z
        // and, reset-after, dL/d(h·RW_n + b_hn), the operands of the gradient products below.
        Derivative candidateDerivative = Derivative.of(candidateFn);
        Derivative gateDerivative = Derivative.of(gateFn);
        INDArray candidateSlopes = candidateDerivative.needsSlopes()
                ? workspaceMgr.createUninitialized(work, dataType, new long[] {h, m}, 'c') : null;
        INDArray gateSlopes = gateDerivative.needsSlopes()
                ? workspaceMgr.createUninitialized(work, dataType, new long[] {2 * h, m}, 'c') : null;
        INDArray dResetPrev = resetAfter ? null
                : workspaceMgr.createUninitialized(work, dataType, new long[] {h, m}, 'c');
        Elements pre = Elements.of(p.pre);
        Elements act = Elements.of(p.act);
        Elements hs = Elements.of(p.hs);
        Elements dHs = Elements.of(dH);
        Elements mask = p.maskRows == null ? null : Elements.of(p.maskRows);
        Elements candidateSlope = candidateSlopes == null ? null : Elements.of(candidateSlopes);
        Elements gateSlope = gateSlopes == null ? null : Elements.of(gateSlopes);
        Elements dResetStates = resetAfter ? null : Elements.of(dResetPrev);
        int size = (int) (h * m);

        for (long t = steps - 1; t >= firstStep; t--) {
            int preAt = (int) (t * rowsPerStep * m);
            int actAt = (int) (t * 3 * h * m);
            int stateAt = (int) (t * h * m);
            int dPrevAt = stateAt - size;
            boolean carry = t > firstStep;
            if (candidateSlopes != null) {
                Derivative.slopes(candidateFn, p.pre(t, N, 1), candidateSlopes);
            }
            if (gateSlopes != null) {
                Derivative.slopes(gateFn, p.pre(t, R, 2), gateSlopes);
            }

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
                    double dCandidate = (dh - dCarry) * candidateDerivative.at(candidate, candidateSlope, i);
                    pre.set(preAt + i, dCandidate);
                    double dUpdate = (hs.get(stateAt + i) - candidate) * dh;
                    if (mask != null) {
                        dUpdate *= mask.get(maskAt + column);
                    }
                    pre.set(preAt + Z * size + i, dUpdate * gateDerivative.at(update, gateSlope, size + i));
                    if (resetAfter) {
                        // n = act(x·W_n + b_in + r * hn), hn = h·RW_n + b_hn; hn's rows become dL/d(hn).
                        double reset = act.get(actAt + R * size + i);
                        int recN = preAt + REC_N * size + i;
                        double dReset = dCandidate * pre.get(recN);
                        pre.set(recN, dCandidate * reset);
                        pre.set(preAt + R * size + i, dReset * gateDerivative.at(reset, gateSlope, i));
                    }
                }
            }
            if (!resetAfter) {
                // n = act(x·W_n + b_n + (r * h)·RW_n)
                Nd4j.gemm(rwCandidate, p.pre(t, N, 1), dResetPrev, false, false, 1.0, 0.0);
                for (int i = 0; i < size; i++) {
                    double dResetState = dResetStates.get(i);
                    double reset = act.get(actAt + R * size + i);
                    pre.set(preAt + R * size + i,
                            dResetState * hs.get(stateAt + i) * gateDerivative.at(reset, gateSlope, i));
                    if (carry) {
                        dHs.set(dPrevAt + i, dHs.get(dPrevAt + i) + dResetState * reset);
                    }
                }
            }

            if (carry) {
                INDArray dPrev = p.state(dH, t - 1);
                if (resetAfter) {
                    Nd4j.gemm(rwC, p.pre(t, R, 3), dPrev, false, false, 1.0, 1.0);
                } else {
                    Nd4j.gemm(rwGates, p.pre(t, R, 2), dPrev, false, false, 1.0, 1.0);
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
        RecurrentMath.storeState(stateMap, STATE_KEY, pass.state(pass.hs, pass.steps));
    }
}
