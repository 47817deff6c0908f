package io.recur.model;

import static io.recur.model.RecurrentMath.stepMajor;

import java.util.List;
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

/**
 * The layer of a {@link FusedRecurrent} configuration: the DL4J side every cell shares (input
 * layout and checks, workspaces, stored state for {@code rnnTimeStep} and truncated BPTT, reuse of
 * the training forward pass in backprop, masks on the output and on dL/dh, dropout, the gradient
 * views), around the cell's forward and backward passes ({@link CellMath}).
 */
public class FusedRecurrentLayer extends BaseRecurrentLayer<FusedRecurrent> {

    /** Key of the last output h, {@code [minibatch, nOut]}, in the stored-state maps (as DL4J's LSTM and SimpleRnn). */
    public static final String STATE_KEY = "prevAct";
    /** Key of the LSTM's last cell state c, {@code [minibatch, nOut]}, in the stored-state maps (as DL4J's LSTM). */
    public static final String CELL_KEY = "prevMem";
    private static final List<String> STATE_KEYS = List.of(STATE_KEY, CELL_KEY);

    private final CellMath cell;

    // The forward pass of a truncated-BPTT segment starts from these states; backprop has to
    // rebuild that same pass, but by then tBpttStateMap already holds the segment's final states.
    private INDArray[] segmentStart;

    // The buffers of the last training forward pass, which backprop reuses instead of running the
    // pass again when it is about the same input, mask and start state (as in every fit). They
    // live in the ACTIVATIONS workspace, which stays open until backprop like the layer's input.
    private ForwardPass trainingPass;

    public FusedRecurrentLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        cell = ((FusedRecurrent) conf.getLayer()).cellMath();
        segmentStart = new INDArray[cell.states()];
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return forward(new INDArray[cell.states()], training, false, workspaceMgr).output;
    }

    @Override
    public INDArray rnnTimeStep(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        ForwardPass pass = forward(stored(stateMap), false, false, workspaceMgr);
        storeFinalStates(stateMap, pass);
        return pass.output;
    }

    @Override
    public INDArray rnnActivateUsingStoredState(INDArray input, boolean training, boolean storeLastForTBPTT,
                                                LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        segmentStart = stored(tBpttStateMap);
        ForwardPass pass = forward(segmentStart, training, false, workspaceMgr);
        if (storeLastForTBPTT) {
            storeFinalStates(tBpttStateMap, pass);
        }
        return pass.output;
    }

    @Override
    public void rnnClearPreviousState() {
        super.rnnClearPreviousState();
        segmentStart = new INDArray[cell.states()];
        trainingPass = null;
    }

    @Override
    public void clear() {
        super.clear();
        trainingPass = null;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        return backprop(epsilon, new INDArray[cell.states()], -1, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> tbpttBackpropGradient(INDArray epsilon, int tbpttBackLength,
                                                         LayerWorkspaceMgr workspaceMgr) {
        return backprop(epsilon, segmentStart, tbpttBackLength, workspaceMgr);
    }

    private String describe() {
        return "recur's " + layerConf().getCell().id() + " layer (index " + getIndex() + ")";
    }

    private ForwardPass forward(INDArray[] initialStates, boolean training, boolean forBackprop,
                                LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(forBackprop);
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray in = permuteIfNWC(input);
        Preconditions.checkState(in.rank() == 3,
                "%s expects 3D input [minibatch, nIn, timeSteps], got shape %s", describe(), in.shape());
        if (in.dataType() != dataType) {
            in = in.castTo(dataType);
        }
        FusedRecurrent conf = layerConf();
        long m = in.size(0);
        long nIn = in.size(1);
        long steps = in.size(2);
        long h = conf.getNOut();
        Preconditions.checkState(nIn == conf.getNIn(),
                "%s has nIn=%s but its input has size %s in dimension 1", describe(), conf.getNIn(), nIn);
        ArrayType work = forBackprop ? ArrayType.BP_WORKING_MEM
                : training ? ArrayType.ACTIVATIONS : ArrayType.FF_WORKING_MEM;

        INDArray w = getParamWithNoise(GateBlockParamInitializer.WEIGHT_KEY, training, workspaceMgr);
        INDArray rw = getParamWithNoise(GateBlockParamInitializer.RECURRENT_WEIGHT_KEY, training, workspaceMgr);
        INDArray b = getParamWithNoise(GateBlockParamInitializer.BIAS_KEY, training, workspaceMgr);
        Sequence sequence = new Sequence(m, steps, h, nIn, stepMajor(in, workspaceMgr, work, false),
                RecurrentMath.maskRows(maskArray, dataType, workspaceMgr, work), dataType, workspaceMgr, work,
                describe());
        ForwardPass p = cell.forward(sequence, w, rw, b, initialStates);
        p.input = input;
        p.mask = maskArray;
        p.initialStates = initialStates;
        if (!forBackprop) {
            p.output = permuteIfNWC(RecurrentMath.sequenceOutput(p.states(), p.outputRow(), m, h, steps, maskArray,
                    workspaceMgr));
        }
        trainingPass = training && !forBackprop ? p : null;
        return p;
    }

    private Pair<Gradient, INDArray> backprop(INDArray epsilon, INDArray[] initialStates, int backLength,
                                              LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        ForwardPass p = trainingPass;
        trainingPass = null;
        if (p == null || p.input != input || p.mask != maskArray || !sameArrays(p.initialStates, initialStates)) {
            p = forward(initialStates, true, true, workspaceMgr);
        }
        Sequence s = p.seq;
        INDArray w = getParamWithNoise(GateBlockParamInitializer.WEIGHT_KEY, true, workspaceMgr);
        INDArray rw = getParamWithNoise(GateBlockParamInitializer.RECURRENT_WEIGHT_KEY, true, workspaceMgr);
        INDArray gradW = gradientViews.get(GateBlockParamInitializer.WEIGHT_KEY);
        INDArray gradRw = gradientViews.get(GateBlockParamInitializer.RECURRENT_WEIGHT_KEY);
        INDArray gradB = gradientViews.get(GateBlockParamInitializer.BIAS_KEY);

        // dL/dh per step: from the output above (zero where masked), plus what flows back from the
        // next step, which the cell adds in place as its loop walks backwards.
        INDArray dH = RecurrentMath.stepMajorGradient(permuteIfNWC(epsilon), dataType, s.maskRows(), workspaceMgr);
        long firstStep = backLength > 0 ? Math.max(0, s.steps() - backLength) : 0;
        INDArray epsOut = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, dataType,
                new long[] {s.m(), s.nIn(), s.steps()}, 'f');
        INDArray dx = stepMajor(epsOut, workspaceMgr, ArrayType.ACTIVATION_GRAD, false);
        cell.backward(p, new Backprop(w, rw, gradW, gradRw, gradB, dH, firstStep, dx, workspaceMgr));
        epsOut = backpropDropOutIfPresent(permuteIfNWC(epsOut));

        weightNoiseParams.clear();
        Gradient gradient = new DefaultGradient(gradientsFlattened);
        gradient.gradientForVariable().put(GateBlockParamInitializer.WEIGHT_KEY, gradW);
        gradient.gradientForVariable().put(GateBlockParamInitializer.RECURRENT_WEIGHT_KEY, gradRw);
        gradient.gradientForVariable().put(GateBlockParamInitializer.BIAS_KEY, gradB);
        return new Pair<>(gradient, epsOut);
    }

    /** The same arrays (identity, not values): the pass was computed from exactly these states. */
    private static boolean sameArrays(INDArray[] a, INDArray[] b) {
        for (int k = 0; k < a.length; k++) {
            if (a[k] != b[k]) return false;
        }
        return true;
    }

    private INDArray[] stored(Map<String, INDArray> stateMap) {
        INDArray[] states = new INDArray[cell.states()];
        for (int k = 0; k < states.length; k++) {
            states[k] = stateMap.get(STATE_KEYS.get(k));
        }
        return states;
    }

    private void storeFinalStates(Map<String, INDArray> stateMap, ForwardPass pass) {
        for (int k = 0; k < cell.states(); k++) {
            RecurrentMath.storeState(stateMap, STATE_KEYS.get(k), pass.finalState(k));
        }
    }
}
