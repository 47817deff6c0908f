package io.recur.model;

import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Parameters of an {@link Lstm} layer with nIn inputs and H = nOut units, in DL4J's row-vector
 * convention (pre-activation = x · W), gate blocks in the order i, f, o, g: the three sigmoid
 * gates first, so that one op activates them, then the tanh block g. (PyTorch's order is
 * i, f, g, o; DL4J's LSTM uses g, f, o, i.)
 * <ul>
 *   <li>{@code W}  [nIn, 4H] input weights</li>
 *   <li>{@code RW} [H, 4H]   recurrent weights</li>
 *   <li>{@code b}  [1, 4H]   one bias per unit and gate (PyTorch's {@code b_ih + b_hh})</li>
 * </ul>
 * All three are 'f'-ordered views of the layer's flat parameter vector, in that order:
 * {@code 4 * (nIn * H + H * H + H)} parameters.
 */
public final class LstmParamInitializer implements ParamInitializer {

    public static final String WEIGHT_KEY = "W";
    public static final String RECURRENT_WEIGHT_KEY = "RW";
    public static final String BIAS_KEY = "b";
    /** Number of gate blocks and their positions in W, RW and b. */
    static final int BLOCKS = 4;
    static final int INPUT_GATE = 0;
    static final int FORGET_GATE = 1;
    static final int OUTPUT_GATE = 2;
    static final int CANDIDATE = 3;

    private static final LstmParamInitializer INSTANCE = new LstmParamInitializer();
    private static final List<String> PARAM_KEYS = List.of(WEIGHT_KEY, RECURRENT_WEIGHT_KEY, BIAS_KEY);
    private static final List<String> WEIGHT_KEYS = List.of(WEIGHT_KEY, RECURRENT_WEIGHT_KEY);
    private static final List<String> BIAS_KEYS = List.of(BIAS_KEY);

    private LstmParamInitializer() {}

    public static LstmParamInitializer getInstance() {
        return INSTANCE;
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        Lstm lstm = (Lstm) layer;
        long nIn = lstm.getNIn();
        long nOut = lstm.getNOut();
        return BLOCKS * (nIn * nOut + nOut * nOut + nOut);
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return PARAM_KEYS;
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return WEIGHT_KEYS;
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return BIAS_KEYS;
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return WEIGHT_KEY.equals(key) || RECURRENT_WEIGHT_KEY.equals(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return BIAS_KEY.equals(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        Lstm lstm = (Lstm) conf.getLayer();
        Map<String, INDArray> views = split(lstm, paramsView);
        if (initializeParams) {
            long nIn = lstm.getNIn();
            long nOut = lstm.getNOut();
            IWeightInit inputInit = lstm.getWeightInitFn();
            IWeightInit recurrentInit = lstm.getWeightInitFnRecurrent() != null
                    ? lstm.getWeightInitFnRecurrent() : inputInit;
            // Fan-in/fan-out per unit, not per gate block, as DL4J's LSTM does.
            inputInit.init(nIn, nOut, new long[] {nIn, BLOCKS * nOut}, 'f', views.get(WEIGHT_KEY));
            recurrentInit.init(nOut, nOut, new long[] {nOut, BLOCKS * nOut}, 'f', views.get(RECURRENT_WEIGHT_KEY));
            INDArray b = views.get(BIAS_KEY);
            b.assign(lstm.getBiasInit());
            b.get(interval(0, 0, true), interval(FORGET_GATE * nOut, (FORGET_GATE + 1) * nOut))
                    .assign(lstm.getForgetGateBiasInit());
        }
        PARAM_KEYS.forEach(conf::addVariable);
        return views;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return split((Lstm) conf.getLayer(), gradientView);
    }

    private static Map<String, INDArray> split(Lstm lstm, INDArray flat) {
        long nIn = lstm.getNIn();
        long nOut = lstm.getNOut();
        long wEnd = nIn * BLOCKS * nOut;
        long rwEnd = wEnd + nOut * BLOCKS * nOut;
        long bEnd = rwEnd + BLOCKS * nOut;
        // Must stay a view: DL4J updates parameters through the flat vector.
        INDArray row = flat.rank() == 1 ? flat.reshape(1, flat.length()) : flat;
        Map<String, INDArray> views = new LinkedHashMap<>();
        views.put(WEIGHT_KEY, row.get(interval(0, 0, true), interval(0, wEnd)).reshape('f', nIn, BLOCKS * nOut));
        views.put(RECURRENT_WEIGHT_KEY,
                row.get(interval(0, 0, true), interval(wEnd, rwEnd)).reshape('f', nOut, BLOCKS * nOut));
        views.put(BIAS_KEY, row.get(interval(0, 0, true), interval(rwEnd, bEnd)));
        return views;
    }
}
