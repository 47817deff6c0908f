package io.recur.model;

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
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The maths of an {@link Rnn} layer: forward pass and backpropagation through time, vectorised
 * per time step in the layout of {@link LstmLayer}: every per-step array is stored transposed,
 * features by examples ({@code [size, minibatch]}, row-major, one block per step), the memory
 * layout of DL4J's 'f'-ordered {@code [minibatch, size, timeSteps]} activations, so input, output
 * and both gradients pass without transposing copies. The only per-step buffer is the state
 * sequence: a step adds its input and recurrent products onto the bias already in the next
 * state's block and applies tanh there in place, so the block holds h' (and, where unmasked,
 * tanh's output, from which backprop takes the derivative {@code 1-h'²}). Backprop is one fused
 * pass per step that overwrites the step's dL/dh with dL/d(pre-activation), followed by one
 * recurrent product; the parameter gradients are products after the loop.
 *
 * <p>Masks: at a masked step h' = h (the state carries over) and the pre-activation's gradient is
 * zero, so dL/dh' flows to h unchanged.
 */
public class RnnLayer extends BaseRecurrentLayer<Rnn> {

    /** Key of the last output h, {@code [minibatch, nOut]}, in the stored-state maps (as DL4J's SimpleRnn). */
    public static final String STATE_KEY = "prevAct";

    // The forward pass of a truncated-BPTT segment starts from this state; backprop has to rebuild
    // that same pass, but by then tBpttStateMap already holds the segment's final state.
    private INDArray segmentStartState;

    // The buffers of the last training forward pass, which backprop reuses instead of running the
    // pass again when it is about the same input, mask and start state (as in every fit). They
    // live in the ACTIVATIONS workspace, which stays open until backprop like the layer's input.
    private ForwardPass trainingPass;

    public RnnLayer(NeuralNetConfiguration conf, DataType dataType) {
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
        RecurrentMath.storeState(stateMap, STATE_KEY, pass.previous(pass.steps));
        return pass.output;
    }

    @Override
    public INDArray rnnActivateUsingStoredState(INDArray input, boolean training, boolean storeLastForTBPTT,
                                                LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        segmentStartState = tBpttStateMap.get(STATE_KEY);
        ForwardPass pass = forward(segmentStartState, training, false, workspaceMgr);
        if (storeLastForTBPTT) {
            RecurrentMath.storeState(tBpttStateMap, STATE_KEY, pass.previous(pass.steps));
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

    /** Buffers of one forward pass; 'c'-ordered 2D arrays of per-step blocks with m columns. */
    private static final class ForwardPass {
        long m;
        long steps;
        long h;
        long nIn;
        INDArray x;        // [T*nIn, m] input, step t in rows t*nIn
        INDArray h0;       // [H, m] initial h
        INDArray hs;       // [T*H, m] h after each step
        INDArray maskRows; // [T, m] or null
        INDArray output;   // layer output (null when the pass only serves backprop)
        INDArray input;    // what the pass was computed from, to recognise it in backprop
        INDArray mask;
        INDArray initialState;

        INDArray input(long t) {
            return block(x, t * nIn, nIn, 0, m);
        }

        /** The state after step t. */
        INDArray next(long t) {
            return block(hs, t * h, h, 0, m);
        }

        /** The state before step t. */
        INDArray previous(long t) {
            return t == 0 ? h0 : next(t - 1);
        }
    }

    private ForwardPass forward(INDArray initialState, boolean training, boolean forBackprop,
                                LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(forBackprop);
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray in = permuteIfNWC(input);
        Preconditions.checkState(in.rank() == 3,
                "Rnn layer (index %s) expects 3D input [minibatch, nIn, timeSteps], got shape %s",
                getIndex(), in.shape());
        if (in.dataType() != dataType) {
            in = in.castTo(dataType);
        }
        Rnn conf = layerConf();
        long m = in.size(0);
        long nIn = in.size(1);
        long steps = in.size(2);
        long h = conf.getNOut();
        Preconditions.checkState(nIn == conf.getNIn(),
                "Rnn layer (index %s) has nIn=%s but its input has size %s in dimension 1", getIndex(),
                conf.getNIn(), nIn);
        ArrayType work = forBackprop ? ArrayType.BP_WORKING_MEM
                : training ? ArrayType.ACTIVATIONS : ArrayType.FF_WORKING_MEM;

        INDArray w = getParamWithNoise(RnnParamInitializer.WEIGHT_KEY, training, workspaceMgr);
        INDArray rw = getParamWithNoise(RnnParamInitializer.RECURRENT_WEIGHT_KEY, training, workspaceMgr);
        INDArray b = getParamWithNoise(RnnParamInitializer.BIAS_KEY, training, workspaceMgr);
        INDArray wT = w.transpose();
        INDArray rwT = rw.transpose();

        ForwardPass p = new ForwardPass();
        p.input = input;
        p.mask = maskArray;
        p.initialState = initialState;
        p.m = m;
        p.steps = steps;
        p.h = h;
        p.nIn = nIn;
        p.x = stepMajor(in, workspaceMgr, work, false);
        p.h0 = workspaceMgr.createUninitialized(work, dataType, new long[] {h, m}, 'c');
        RecurrentMath.setInitialState(p.h0, initialState, "Rnn layer (index " + getIndex() + ")");
        // The bias goes in up front; each step's products then add onto it.
        p.hs = workspaceMgr.createUninitialized(work, dataType, new long[] {steps * h, m}, 'c');
        INDArray hs3d = p.hs.reshape('c', steps, h, m);
        hs3d.assign(0);
        Nd4j.getExecutioner().exec(new BroadcastAddOp(hs3d, b.reshape(h), hs3d, 1));
        p.maskRows = RecurrentMath.maskRows(maskArray, dataType, workspaceMgr, work);
        Elements hs = p.maskRows == null ? null : Elements.of(p.hs);
        Elements h0 = p.maskRows == null ? null : Elements.of(p.h0);
        Elements mask = p.maskRows == null ? null : Elements.of(p.maskRows);
        int size = (int) (h * m);

        for (long t = 0; t < steps; t++) {
            INDArray next = p.next(t);
            Nd4j.gemm(wT, p.input(t), next, false, false, 1.0, 1.0);
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

        if (!forBackprop) {
            p.output = permuteIfNWC(RecurrentMath.sequenceOutput(p.hs, 0, m, h, steps, maskArray, workspaceMgr));
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
        long m = p.m;
        long steps = p.steps;
        long h = p.h;
        long nIn = p.nIn;
        ArrayType work = ArrayType.BP_WORKING_MEM;

        // Every product takes 'c'-ordered operands and result: mixed orders cost hidden copies. The
        // gradients are written through transposed views of the 'f'-ordered gradient arrays; W and
        // RW are copied to 'c' order once (as in LstmLayer).
        INDArray w = workspaceMgr.dup(work, getParamWithNoise(RnnParamInitializer.WEIGHT_KEY, true, workspaceMgr), 'c');
        INDArray rw = workspaceMgr.dup(work,
                getParamWithNoise(RnnParamInitializer.RECURRENT_WEIGHT_KEY, true, workspaceMgr), 'c');
        INDArray gradW = gradientViews.get(RnnParamInitializer.WEIGHT_KEY);
        INDArray gradRw = gradientViews.get(RnnParamInitializer.RECURRENT_WEIGHT_KEY);
        INDArray gradB = gradientViews.get(RnnParamInitializer.BIAS_KEY);

        // dL/dh per step, added into in place as the loop walks backwards, then overwritten by
        // dL/d(pre-activation), the operand of the gradient products below.
        INDArray dH = RecurrentMath.stepMajorGradient(permuteIfNWC(epsilon), dataType, p.maskRows, workspaceMgr);
        long firstStep = backLength > 0 ? Math.max(0, steps - backLength) : 0;
        Elements hs = Elements.of(p.hs);
        Elements dHs = Elements.of(dH);
        Elements mask = p.maskRows == null ? null : Elements.of(p.maskRows);
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
        INDArray gradWT = gradW.transpose();
        INDArray gradRwT = gradRw.transpose();
        INDArray epsOut = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, dataType, new long[] {m, nIn, steps}, 'f');
        INDArray dx = stepMajor(epsOut, workspaceMgr, ArrayType.ACTIVATION_GRAD, false);
        for (long t = firstStep; t < steps; t++) {
            INDArray dPre = block(dH, t * h, h, 0, m);
            double beta = t == firstStep ? 0.0 : 1.0;
            Nd4j.gemm(dPre, p.input(t), gradWT, false, true, 1.0, beta);
            Nd4j.gemm(dPre, p.previous(t), gradRwT, false, true, 1.0, beta);
            Nd4j.gemm(w, dPre, block(dx, t * nIn, nIn, 0, m), false, false, 1.0, 0.0);
        }
        long rows = (steps - firstStep) * h;
        INDArray perStep = workspaceMgr.createUninitialized(work, dataType, new long[] {1, rows}, 'c');
        RecurrentMath.rowSums(block(dH, firstStep * h, rows, 0, m), perStep.reshape(rows, 1), workspaceMgr, work);
        RecurrentMath.columnSums(perStep.reshape('c', steps - firstStep, h), gradB, workspaceMgr, work);
        epsOut = backpropDropOutIfPresent(permuteIfNWC(epsOut));

        weightNoiseParams.clear();
        Gradient gradient = new DefaultGradient(gradientsFlattened);
        gradient.gradientForVariable().put(RnnParamInitializer.WEIGHT_KEY, gradW);
        gradient.gradientForVariable().put(RnnParamInitializer.RECURRENT_WEIGHT_KEY, gradRw);
        gradient.gradientForVariable().put(RnnParamInitializer.BIAS_KEY, gradB);
        return new Pair<>(gradient, epsOut);
    }
}
