package io.recur.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.LayerConstraint;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the configurations of recur's hand-written recurrent layers ({@link Rnn}, {@link Lstm},
 * {@link Gru}) share: the constraints on input and recurrent weights, instantiation with the
 * parameter views, and the memory report; each cell adds only its settings and its layer.
 */
public abstract class FusedRecurrentConf extends BaseRecurrentLayer {

    protected FusedRecurrentConf(BaseRecurrentLayer.Builder<?> builder) {
        super(builder);
        initializeConstraints(builder);
    }

    // Jackson (MultiLayerConfiguration.fromJson) creates the object, then sets the fields.
    protected FusedRecurrentConf() {}

    /** The layer that computes this configuration. */
    protected abstract org.deeplearning4j.nn.layers.recurrent.BaseRecurrentLayer<?> createLayer(
            NeuralNetConfiguration conf, DataType networkDataType);

    /**
     * Working memory per example and time step of the forward pass, in elements (the step-major
     * buffers of the layer); backprop adds a dL/dh and a dL/dx sequence.
     */
    protected abstract long forwardElementsPerStep();

    /** Working memory per example outside the per-step buffers (initial states). */
    protected abstract long forwardElementsFixed();

    // Adds constrainRecurrent(...) and constrainInputWeights(...) to the generic constraints,
    // the way DL4J's LSTM does (SimpleRnn drops them).
    @Override
    protected void initializeConstraints(org.deeplearning4j.nn.conf.layers.Layer.Builder<?> builder) {
        super.initializeConstraints(builder);
        BaseRecurrentLayer.Builder<?> recurrent = (BaseRecurrentLayer.Builder<?>) builder;
        addConstraints(recurrent.getRecurrentConstraints(), GateBlockParamInitializer.RECURRENT_WEIGHT_KEY);
        addConstraints(recurrent.getInputWeightConstraints(), GateBlockParamInitializer.WEIGHT_KEY);
    }

    private void addConstraints(List<LayerConstraint> toAdd, String paramKey) {
        if (toAdd == null || toAdd.isEmpty()) return;
        if (constraints == null) constraints = new ArrayList<>();
        for (LayerConstraint c : toAdd) {
            LayerConstraint forParam = c.clone();
            forParam.setParams(Set.of(paramKey));
            constraints.add(forParam);
        }
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
                             int layerIndex, INDArray layerParamsView, boolean initializeParams,
                             DataType networkDataType) {
        LayerValidation.assertNInNOutSet(getClass().getSimpleName(), getLayerName(), layerIndex, getNIn(), getNOut());
        var layer = createLayer(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> paramTable = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(paramTable);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType outputType = getOutputType(-1, inputType);
        long numParams = initializer().numParams(this);
        long steps = inputType instanceof InputType.InputTypeRecurrent rec && rec.getTimeSeriesLength() > 0
                ? rec.getTimeSeriesLength() : 1;
        long ffPerExample = steps * forwardElementsPerStep() + forwardElementsFixed();
        long bpPerExample = ffPerExample + steps * (nOut + nIn);
        return new LayerMemoryReport.Builder(getLayerName(), getClass(), inputType, outputType)
                .standardMemory(numParams, numParams)
                .workingMemory(0, ffPerExample, 0, bpPerExample)
                .cacheMemory(0, 0)
                .build();
    }
}
