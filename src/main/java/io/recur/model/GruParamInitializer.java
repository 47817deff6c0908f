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
 * Parameters of a {@link Gru} layer with nIn inputs and H = nOut units, in DL4J's row-vector
 * convention (pre-activation = x · W), gate blocks in the order r, z, n (PyTorch's order):
 * <ul>
 *   <li>{@code W}  [nIn, 3H] = [W_ir; W_iz; W_in] transposed, i.e. PyTorch {@code weight_ih_l0}ᵀ</li>
 *   <li>{@code RW} [H, 3H]   = PyTorch {@code weight_hh_l0}ᵀ</li>
 *   <li>{@code b}  [1, 4H]   = [b_ir + b_hr, b_iz + b_hz, b_in, b_hn] when reset-after,
 *       [1, 3H] = [b_r, b_z, b_n] otherwise</li>
 * </ul>
 * All three are 'f'-ordered views of the layer's flat parameter vector, in that order.
 */
public final class GruParamInitializer implements ParamInitializer {

    public static final String WEIGHT_KEY = "W";
    public static final String RECURRENT_WEIGHT_KEY = "RW";
    public static final String BIAS_KEY = "b";

    private static final GruParamInitializer INSTANCE = new GruParamInitializer();
    private static final List<String> PARAM_KEYS = List.of(WEIGHT_KEY, RECURRENT_WEIGHT_KEY, BIAS_KEY);
    private static final List<String> WEIGHT_KEYS = List.of(WEIGHT_KEY, RECURRENT_WEIGHT_KEY);
    private static final List<String> BIAS_KEYS = List.of(BIAS_KEY);

    private GruParamInitializer() {}

    public static GruParamInitializer getInstance() {
        return INSTANCE;
    }

    /** Length of the bias vector: the reset-after form keeps b_hn apart from b_in. */
    static long biasLength(Gru gru) {
        return (gru.isResetAfter() ? 4 : 3) * gru.getNOut();
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        Gru gru = (Gru) layer;
        long nIn = gru.getNIn();
        long nOut = gru.getNOut();
        return nIn * 3 * nOut + nOut * 3 * nOut + biasLength(gru);
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
        Gru gru = (Gru) conf.getLayer();
        Map<String, INDArray> views = split(gru, paramsView);
        if (initializeParams) {
            long nIn = gru.getNIn();
            long nOut = gru.getNOut();
            IWeightInit inputInit = gru.getWeightInitFn();
            IWeightInit recurrentInit = gru.getWeightInitFnRecurrent() != null
                    ? gru.getWeightInitFnRecurrent() : inputInit;
            // Fan-in/fan-out per unit, not per gate block, as DL4J's LSTM does.
            inputInit.init(nIn, nOut, new long[] {nIn, 3 * nOut}, 'f', views.get(WEIGHT_KEY));
            recurrentInit.init(nOut, nOut, new long[] {nOut, 3 * nOut}, 'f', views.get(RECURRENT_WEIGHT_KEY));
            views.get(BIAS_KEY).assign(gru.getBiasInit());
        }
        PARAM_KEYS.forEach(conf::addVariable);
        return views;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return split((Gru) conf.getLayer(), gradientView);
    }

    private static Map<String, INDArray> split(Gru gru, INDArray flat) {
        long nIn = gru.getNIn();
        long nOut = gru.getNOut();
        long wEnd = nIn * 3 * nOut;
        long rwEnd = wEnd + nOut * 3 * nOut;
        long bEnd = rwEnd + biasLength(gru);
        // Must stay a view: DL4J updates parameters through the flat vector.
        INDArray row = flat.rank() == 1 ? flat.reshape(1, flat.length()) : flat;
        Map<String, INDArray> views = new LinkedHashMap<>();
        views.put(WEIGHT_KEY, row.get(interval(0, 0, true), interval(0, wEnd)).reshape('f', nIn, 3 * nOut));
        views.put(RECURRENT_WEIGHT_KEY,
                row.get(interval(0, 0, true), interval(wEnd, rwEnd)).reshape('f', nOut, 3 * nOut));
        views.put(BIAS_KEY, row.get(interval(0, 0, true), interval(rwEnd, bEnd)));
        return views;
    }
}
