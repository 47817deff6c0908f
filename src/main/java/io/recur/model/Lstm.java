package io.recur.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.api.layers.LayerConstraint;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Configuration of recur's long short-term memory layer for a {@code MultiLayerNetwork}, used like
 * DL4J's {@code LSTM}: {@code new Lstm.Builder().nIn(a).nOut(b).build()}. Input and output are
 * {@code [minibatch, size, timeSteps]} (or NWC via {@code dataFormat}); it works inside
 * {@code Bidirectional} and {@code LastTimeStep}, with feature masks, {@code rnnTimeStep} and
 * truncated BPTT. A step computes, for input x, previous output h and cell state c (no peepholes):
 * <pre>
 * i, f, o = sigmoid(W_i x + R_i h + b_i), ... (one block each)
 * g       = tanh(W_g x + R_g h + b_g)
 * c'      = f * c + i * g
 * h'      = o * tanh(c')
 * </pre>
 * The activations are fixed to sigmoid gates and tanh, because backpropagation takes their
 * derivatives from the stored outputs ({@code s(1-s)}, {@code 1-a²}); use DL4J's {@code LSTM} for
 * others. At a masked step h and c are carried over unchanged and the output is zero. The forget
 * gate's bias starts at {@link Builder#forgetGateBiasInit(double)} (1.0, DL4J's default).
 * Parameters: see {@link LstmParamInitializer}.
 */
public class Lstm extends BaseRecurrentLayer {

    private double forgetGateBiasInit = 1.0;

    private Lstm(Builder builder) {
        super(builder);
        this.forgetGateBiasInit = builder.forgetGateBiasInit;
        initializeConstraints(builder);
        requireTanh(getActivationFn(), getLayerName());
    }

    // Jackson (MultiLayerConfiguration.fromJson) creates the object, then sets the fields.
    private Lstm() {}

    private static void requireTanh(IActivation activation, String layerName) {
        if (!(activation instanceof ActivationTanH)) {
            throw new IllegalArgumentException("Lstm layer " + (layerName == null ? "" : "'" + layerName + "' ")
                    + "has activation " + activation + "; recur's Lstm supports only tanh (its backprop uses "
                    + "tanh's derivative from the output); use DL4J's LSTM for other activations");
        }
    }

    // Adds constrainRecurrent(...) and constrainInputWeights(...) to the generic constraints,
    // the way DL4J's LSTM does (SimpleRnn drops them).
    @Override
    protected void initializeConstraints(org.deeplearning4j.nn.conf.layers.Layer.Builder<?> builder) {
        super.initializeConstraints(builder);
        Builder lstmBuilder = (Builder) builder;
        addConstraints(lstmBuilder.getRecurrentConstraints(), LstmParamInitializer.RECURRENT_WEIGHT_KEY);
        addConstraints(lstmBuilder.getInputWeightConstraints(), LstmParamInitializer.WEIGHT_KEY);
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
        LayerValidation.assertNInNOutSet("Lstm", getLayerName(), layerIndex, getNIn(), getNOut());
        requireTanh(getActivationFn(), getLayerName());
        LstmLayer layer = new LstmLayer(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> paramTable = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(paramTable);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return LstmParamInitializer.getInstance();
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType outputType = getOutputType(-1, inputType);
        long numParams = initializer().numParams(this);
        long steps = inputType instanceof InputType.InputTypeRecurrent rec && rec.getTimeSeriesLength() > 0
                ? rec.getTimeSeriesLength() : 1;
        // Per example: time-major input copy, the four gate blocks, tanh(c), and the h and c
        // sequences with their initial states (see LstmLayer).
        long ffPerExample = steps * (nIn + 4 * nOut + nOut + 2 * nOut) + 2 * nOut;
        long bpPerExample = ffPerExample + steps * (nOut + nIn);
        return new LayerMemoryReport.Builder(getLayerName(), Lstm.class, inputType, outputType)
                .standardMemory(numParams, numParams)
                .workingMemory(0, ffPerExample, 0, bpPerExample)
                .cacheMemory(0, 0)
                .build();
    }

    /** Initial value of the forget gate's bias block (the other blocks start at {@code biasInit}). */
    public double getForgetGateBiasInit() {
        return forgetGateBiasInit;
    }

    public void setForgetGateBiasInit(double forgetGateBiasInit) {
        this.forgetGateBiasInit = forgetGateBiasInit;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof Lstm other) || !other.canEqual(this) || !super.equals(o)) return false;
        return Double.compare(forgetGateBiasInit, other.forgetGateBiasInit) == 0;
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof Lstm;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), forgetGateBiasInit);
    }

    @Override
    public String toString() {
        return "Lstm(" + super.toString() + ", forgetGateBiasInit=" + forgetGateBiasInit + ")";
    }

    /**
     * Builder mirroring {@code LSTM.Builder}: {@code nIn}, {@code nOut}, {@code weightInit},
     * {@code weightInitRecurrent}, {@code biasInit}, {@link #forgetGateBiasInit(double)},
     * {@code l1}/{@code l2}, {@code dropOut} (on the inputs),
     * {@code constrainWeights}/{@code constrainRecurrent}/{@code constrainInputWeights} and
     * {@code dataFormat}. The activation stays tanh; {@code build()} rejects any other.
     */
    public static class Builder extends BaseRecurrentLayer.Builder<Builder> {

        private double forgetGateBiasInit = 1.0;

        public Builder() {
            this.activationFn = new ActivationTanH();
        }

        /** Initial forget-gate bias; 1.0 (DL4J's default) lets memory flow from the start. */
        public Builder forgetGateBiasInit(double forgetGateBiasInit) {
            this.forgetGateBiasInit = forgetGateBiasInit;
            return this;
        }

        @Override
        public Lstm build() {
            return new Lstm(this);
        }
    }
}
