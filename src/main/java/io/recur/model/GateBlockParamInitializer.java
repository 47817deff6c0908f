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
 * Parameters of a {@link FusedRecurrent} layer, made of gate blocks, in DL4J's row-vector
 * convention (pre-activation = x · W) and the layout of DL4J's SimpleRnn and LSTM: {@code W}
 * [nIn, G·H], {@code RW} [H, G·H] and {@code b} [1, biasLength], 'f'-ordered views of the layer's
 * flat parameter vector in that order. The cell ({@link CellMath}) says how many blocks it has and
 * what its bias holds.
 */
public final class GateBlockParamInitializer implements ParamInitializer {

    public static final String WEIGHT_KEY = "W";
    public static final String RECURRENT_WEIGHT_KEY = "RW";
    public static final String BIAS_KEY = "b";

    private static final List<String> PARAM_KEYS = List.of(WEIGHT_KEY, RECURRENT_WEIGHT_KEY, BIAS_KEY);
    private static final List<String> WEIGHT_KEYS = List.of(WEIGHT_KEY, RECURRENT_WEIGHT_KEY);
    private static final List<String> BIAS_KEYS = List.of(BIAS_KEY);

    private static final GateBlockParamInitializer INSTANCE = new GateBlockParamInitializer();

    private GateBlockParamInitializer() {}

    public static GateBlockParamInitializer getInstance() {
        return INSTANCE;
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        FusedRecurrent recurrent = (FusedRecurrent) layer;
        CellMath cell = recurrent.cellMath();
        long nIn = recurrent.getNIn();
        long nOut = recurrent.getNOut();
        return cell.blocks() * (nIn * nOut + nOut * nOut) + cell.biasLength(nOut);
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
        FusedRecurrent layer = (FusedRecurrent) conf.getLayer();
        CellMath cell = layer.cellMath();
        Map<String, INDArray> views = split(layer, paramsView);
        if (initializeParams) {
            long nIn = layer.getNIn();
            long nOut = layer.getNOut();
            IWeightInit inputInit = layer.getWeightInitFn();
            IWeightInit recurrentInit = layer.getWeightInitFnRecurrent() != null
                    ? layer.getWeightInitFnRecurrent() : inputInit;
            // Fan-in/fan-out per unit, not per gate block, as DL4J's LSTM does.
            inputInit.init(nIn, nOut, new long[] {nIn, cell.blocks() * nOut}, 'f', views.get(WEIGHT_KEY));
            recurrentInit.init(nOut, nOut, new long[] {nOut, cell.blocks() * nOut}, 'f', views.get(RECURRENT_WEIGHT_KEY));
            cell.initBias(views.get(BIAS_KEY), nOut, layer.getBiasInit());
        }
        PARAM_KEYS.forEach(conf::addVariable);
        return views;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return split((FusedRecurrent) conf.getLayer(), gradientView);
    }

    private Map<String, INDArray> split(FusedRecurrent layer, INDArray flat) {
        CellMath cell = layer.cellMath();
        long nIn = layer.getNIn();
        long nOut = layer.getNOut();
        long columns = cell.blocks() * nOut;
        long wEnd = nIn * columns;
        long rwEnd = wEnd + nOut * columns;
        long bEnd = rwEnd + cell.biasLength(nOut);
        // Must stay a view: DL4J updates parameters through the flat vector.
        INDArray row = flat.rank() == 1 ? flat.reshape(1, flat.length()) : flat;
        Map<String, INDArray> views = new LinkedHashMap<>();
        views.put(WEIGHT_KEY, row.get(interval(0, 0, true), interval(0, wEnd)).reshape('f', nIn, columns));
        views.put(RECURRENT_WEIGHT_KEY, row.get(interval(0, 0, true), interval(wEnd, rwEnd)).reshape('f', nOut, columns));
        views.put(BIAS_KEY, row.get(interval(0, 0, true), interval(rwEnd, bEnd)));
        return views;
    }
}
