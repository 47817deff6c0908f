package io.recur.model;

import java.util.Objects;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;

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
public class Lstm extends FusedRecurrentConf {

    private double forgetGateBiasInit = 1.0;

    private Lstm(Builder builder) {
        super(builder);
        this.forgetGateBiasInit = builder.forgetGateBiasInit;
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

    @Override
    protected LstmLayer createLayer(NeuralNetConfiguration conf, DataType networkDataType) {
        requireTanh(getActivationFn(), getLayerName());
        return new LstmLayer(conf, networkDataType);
    }

    @Override
    public ParamInitializer initializer() {
        return LstmParamInitializer.getInstance();
    }

    // Per example and step: time-major input copy, the four gate blocks, tanh(c), and the h and c
    // sequences; plus their initial states (see LstmLayer).
    @Override
    protected long forwardElementsPerStep() {
        return nIn + 4 * nOut + nOut + 2 * nOut;
    }

    @Override
    protected long forwardElementsFixed() {
        return 2 * nOut;
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
