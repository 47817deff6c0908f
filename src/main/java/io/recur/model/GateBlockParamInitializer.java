package io.recur.model;

import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Parameters of a recurrent layer made of gate blocks, in DL4J's row-vector convention
 * (pre-activation = x · W) and the layout of DL4J's SimpleRnn and LSTM: {@code W} [nIn, G·H],
 * {@code RW} [H, G·H] and {@code b} [1, biasLength], 'f'-ordered views of the layer's flat
 * parameter vector in that order. Each cell says how many blocks it has and what its bias holds.
 */
public abstract class GateBlockParamInitializer implements ParamInitializer {

    public static final String WEIGHT_KEY = "W";
    public static final String RECURRENT_WEIGHT_KEY = "RW";
    public static final String BIAS_KEY = "b";

    private static final List<String> PARAM_KEYS = List.of(WEIGHT_KEY, RECURRENT_WEIGHT_KEY, BIAS_KEY);
    private static final List<String> WEIGHT_KEYS = List.of(WEIGHT_KEY, RECURRENT_WEIGHT_KEY);
    private static final List<String> BIAS_KEYS = List.of(BIAS_KEY);

    /** G, the number of H-column blocks of W and RW. */
    protected abstract int blocks();

    /** Length of the bias vector. */
    protected abstract long biasLength(BaseRecurrentLayer layer);

    /** Sets the bias's initial values. */
    protected abstract void initBias(BaseRecurrentLayer layer, INDArray bias);

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        BaseRecurrentLayer recurrent = (BaseRecurrentLayer) layer;
        long nIn = recurrent.getNIn();
        long nOut = recurrent.getNOut();
        return blocks() * (nIn * nOut + nOut * nOut) + biasLength(recurrent);
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
        BaseRecurrentLayer layer = (BaseRecurrentLayer) conf.getLayer();
        Map<String, INDArray> views = split(layer, paramsView);
        if (initializeParams) {
            long nIn = layer.getNIn();
            long nOut = layer.getNOut();
            IWeightInit inputInit = layer.getWeightInitFn();
            IWeightInit recurrentInit = layer.getWeightInitFnRecurrent() != null
                    ? layer.getWeightInitFnRecurrent() : inputInit;
            // Fan-in/fan-out per unit, not per gate block, as DL4J's LSTM does.
            inputInit.init(nIn, nOut, new long[] {nIn, blocks() * nOut}, 'f', views.get(WEIGHT_KEY));
            recurrentInit.init(nOut, nOut, new long[] {nOut, blocks() * nOut}, 'f', views.get(RECURRENT_WEIGHT_KEY));
            initBias(layer, views.get(BIAS_KEY));
        }
        PARAM_KEYS.forEach(conf::addVariable);
        return views;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return split((BaseRecurrentLayer) conf.getLayer(), gradientView);
    }

    private Map<String, INDArray> split(BaseRecurrentLayer layer, INDArray flat) {
        long nIn = layer.getNIn();
        long nOut = layer.getNOut();
        long columns = blocks() * nOut;
        long wEnd = nIn * columns;
        long rwEnd = wEnd + nOut * columns;
        long bEnd = rwEnd + biasLength(layer);
        // Must stay a view: DL4J updates parameters through the flat vector.
        INDArray row = flat.rank() == 1 ? flat.reshape(1, flat.length()) : flat;
        Map<String, INDArray> views = new LinkedHashMap<>();
        views.put(WEIGHT_KEY, row.get(interval(0, 0, true), interval(0, wEnd)).reshape('f', nIn, columns));
        views.put(RECURRENT_WEIGHT_KEY, row.get(interval(0, 0, true), interval(wEnd, rwEnd)).reshape('f', nOut, columns));
        views.put(BIAS_KEY, row.get(interval(0, 0, true), interval(rwEnd, bEnd)));
        return views;
    }
}
