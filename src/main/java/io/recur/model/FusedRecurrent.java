package io.recur.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.recur.config.Cell;
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
 * Configuration of one of recur's hand-written recurrent layers for a {@code MultiLayerNetwork},
 * used like DL4J's {@code LSTM}: {@code new FusedRecurrent.Builder(Cell.GRU).nIn(a).nOut(b).build()}.
 * The cell ({@link CellMath}) owns the maths and the parameter layout; this class and
 * {@link FusedRecurrentLayer} hold what every cell shares. Input and output are
 * {@code [minibatch, size, timeSteps]} (or NWC via {@code dataFormat}); it works inside
 * {@code Bidirectional} and {@code LastTimeStep}, with feature masks (a masked step carries the
 * state over and outputs zero), {@code rnnTimeStep} and truncated BPTT, L1/L2, input dropout,
 * weight constraints, float and double.
 *
 * <p>The activations are fixed (sigmoid gates, tanh), because backprop takes their derivatives
 * from the stored outputs; {@code build()} rejects any activation but tanh. Models saved before
 * this class name their layers {@link Rnn}, {@link Lstm} or {@link Gru}, which load as this class.
 */
public class FusedRecurrent extends BaseRecurrentLayer {

    private Cell cell;

    protected FusedRecurrent(Builder builder) {
        super(builder);
        this.cell = Objects.requireNonNull(builder.cell, "cell");
        initializeConstraints(builder);
        requireTanh(getActivationFn());
    }

    // Jackson (MultiLayerConfiguration.fromJson) creates the object, then sets the fields.
    protected FusedRecurrent() {}

    // The configuration names of models saved before this class, whose JSON has no cell.
    FusedRecurrent(Cell cell) {
        this.cell = cell;
    }

    public Cell getCell() {
        return cell;
    }

    public void setCell(Cell cell) {
        this.cell = cell;
    }

    /** The cell's maths (not a bean property: the JSON holds only the cell's name). */
    CellMath cellMath() {
        return CellMath.of(cell);
    }

    private void requireTanh(IActivation activation) {
        if (!(activation instanceof ActivationTanH)) {
            throw new IllegalArgumentException("recur's " + cell.name() + " layer "
                    + (getLayerName() == null ? "" : "'" + getLayerName() + "' ")
                    + "has activation " + activation + "; it supports only tanh (its backprop takes "
                    + "the derivatives from the stored outputs)");
        }
    }

    @Override
    public ParamInitializer initializer() {
        return GateBlockParamInitializer.getInstance();
    }

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
        requireTanh(getActivationFn());
        var layer = new FusedRecurrentLayer(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> paramTable = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(paramTable);
        layer.setConf(conf);
        return layer;
    }

    // Backprop adds a dL/dh and a dL/dx sequence to the forward pass's buffers.
    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType outputType = getOutputType(-1, inputType);
        long numParams = initializer().numParams(this);
        long steps = inputType instanceof InputType.InputTypeRecurrent rec && rec.getTimeSeriesLength() > 0
                ? rec.getTimeSeriesLength() : 1;
        CellMath math = cellMath();
        long ffPerExample = steps * math.forwardElementsPerStep(nIn, nOut) + math.forwardElementsFixed(nOut);
        long bpPerExample = ffPerExample + steps * (nOut + nIn);
        return new LayerMemoryReport.Builder(getLayerName(), getClass(), inputType, outputType)
                .standardMemory(numParams, numParams)
                .workingMemory(0, ffPerExample, 0, bpPerExample)
                .cacheMemory(0, 0)
                .build();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        return o instanceof FusedRecurrent other && other.canEqual(this) && super.equals(o) && cell == other.cell;
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof FusedRecurrent;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), cell);
    }

    @Override
    public String toString() {
        return "FusedRecurrent(cell=" + cell + ", " + super.toString() + ")";
    }

    /**
     * Builder mirroring {@code LSTM.Builder}: {@code nIn}, {@code nOut}, {@code weightInit},
     * {@code weightInitRecurrent}, {@code biasInit}, {@code l1}/{@code l2}, {@code dropOut} (on
     * the inputs), {@code constrainWeights}/{@code constrainRecurrent}/{@code constrainInputWeights}
     * and {@code dataFormat}. The activation stays tanh; {@code build()} rejects any other.
     */
    public static class Builder extends BaseRecurrentLayer.Builder<Builder> {
        private final Cell cell;

        public Builder(Cell cell) {
            this.cell = cell;
            this.activationFn = new ActivationTanH();
        }

        @Override
        public FusedRecurrent build() {
            return new FusedRecurrent(this);
        }
    }
}
