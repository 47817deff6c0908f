package io.recur.model;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Configuration of recur's vanilla (Elman) recurrent layer for a {@code MultiLayerNetwork}, used
 * like DL4J's {@code SimpleRnn}: {@code new Rnn.Builder().nIn(a).nOut(b).build()}. Input and
 * output are {@code [minibatch, size, timeSteps]} (or NWC via {@code dataFormat}); it works inside
 * {@code Bidirectional} and {@code LastTimeStep}, with feature masks, {@code rnnTimeStep} and
 * truncated BPTT. A step computes, for input x and previous output h,
 * <pre>
 * h' = tanh(W x + R h + b)
 * </pre>
 * The activation is fixed to tanh, because backpropagation takes its derivative from the stored
 * output ({@code 1-h²}); use DL4J's {@code SimpleRnn} for others. At a masked step h is carried
 * over unchanged and the output is zero (DL4J's SimpleRnn restarts from zero after a masked step
 * instead; both agree on sequences padded at the end). Parameters: see {@link RnnParamInitializer},
 * the same keys and layout as SimpleRnn's, so SimpleRnn's parameters and updater state carry over
 * unchanged.
 */
public class Rnn extends FusedRecurrentConf {

    private Rnn(Builder builder) {
        super(builder);
        requireTanh(getActivationFn(), getLayerName());
    }

    // Jackson (MultiLayerConfiguration.fromJson) creates the object, then sets the fields.
    private Rnn() {}

    private static void requireTanh(IActivation activation, String layerName) {
        if (!(activation instanceof ActivationTanH)) {
            throw new IllegalArgumentException("Rnn layer " + (layerName == null ? "" : "'" + layerName + "' ")
                    + "has activation " + activation + "; recur's Rnn supports only tanh (its backprop uses "
                    + "tanh's derivative from the output); use DL4J's SimpleRnn for other activations");
        }
    }

    @Override
    protected RnnLayer createLayer(NeuralNetConfiguration conf, DataType networkDataType) {
        requireTanh(getActivationFn(), getLayerName());
        return new RnnLayer(conf, networkDataType);
    }

    @Override
    public ParamInitializer initializer() {
        return RnnParamInitializer.getInstance();
    }

    // Per example and step: the input copy and the state sequence (see RnnLayer); plus the initial state.
    @Override
    protected long forwardElementsPerStep() {
        return nIn + nOut;
    }

    @Override
    protected long forwardElementsFixed() {
        return nOut;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        return o instanceof Rnn other && other.canEqual(this) && super.equals(o);
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof Rnn;
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }

    @Override
    public String toString() {
        return "Rnn(" + super.toString() + ")";
    }

    /**
     * Builder mirroring {@code SimpleRnn.Builder}: {@code nIn}, {@code nOut}, {@code weightInit},
     * {@code weightInitRecurrent}, {@code biasInit}, {@code l1}/{@code l2}, {@code dropOut} (on
     * the inputs), {@code constrainWeights}/{@code constrainRecurrent}/{@code constrainInputWeights}
     * and {@code dataFormat}. The activation stays tanh; {@code build()} rejects any other.
     */
    public static class Builder extends BaseRecurrentLayer.Builder<Builder> {

        public Builder() {
            this.activationFn = new ActivationTanH();
        }

        @Override
        public Rnn build() {
            return new Rnn(this);
        }
    }
}
