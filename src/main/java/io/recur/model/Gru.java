package io.recur.model;

import java.util.Objects;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Configuration of a gated recurrent unit layer for a {@code MultiLayerNetwork}, used like DL4J's
 * {@code LSTM}: {@code new Gru.Builder().nIn(a).nOut(b).build()}. Input and output are
 * {@code [minibatch, size, timeSteps]} (or NWC via {@code dataFormat}); it works inside
 * {@code Bidirectional} and {@code LastTimeStep}, with feature masks, {@code rnnTimeStep} and
 * truncated BPTT.
 *
 * <p>With {@code resetAfter(true)} (the default; cuDNN, PyTorch and Keras {@code reset_after=True})
 * a step computes, for input x and previous state h:
 * <pre>
 * r  = gate(W_ir x + W_hr h + b_r)
 * z  = gate(W_iz x + W_hz h + b_z)
 * n  = act(W_in x + b_in + r * (W_hn h + b_hn))
 * h' = (1 - z) * n + z * h
 * </pre>
 * With {@code resetAfter(false)} (Cho et al. 2014) the candidate is
 * {@code n = act(W_in x + b_in + W_hn (r * h))} and there is no {@code b_hn}.
 * {@code gate} defaults to sigmoid and {@code act} to tanh. At a masked step the state is carried
 * over unchanged and the output is zero. Parameters: see {@link GruParamInitializer}.
 */
public class Gru extends FusedRecurrentConf {

    private IActivation gateActivationFn = new ActivationSigmoid();
    private boolean resetAfter = true;

    private Gru(Builder builder) {
        super(builder);
        this.gateActivationFn = builder.gateActivationFn;
        this.resetAfter = builder.resetAfter;
    }

    // Jackson (MultiLayerConfiguration.fromJson) creates the object, then sets the fields.
    private Gru() {}

    @Override
    protected GruLayer createLayer(NeuralNetConfiguration conf, DataType networkDataType) {
        return new GruLayer(conf, networkDataType);
    }

    @Override
    public ParamInitializer initializer() {
        return GruParamInitializer.getInstance();
    }

    // Per example and step: step-major input copy, pre-activations of n, r, z with h·RW_n
    // (reset-after) or r * h (reset-before), activations of the three blocks, and the state
    // sequence; plus its initial state (see GruLayer).
    @Override
    protected long forwardElementsPerStep() {
        return nIn + 4 * nOut + 3 * nOut + nOut;
    }

    @Override
    protected long forwardElementsFixed() {
        return nOut;
    }

    /** Activation of the reset and update gates (sigmoid unless configured). */
    public IActivation getGateActivationFn() {
        return gateActivationFn;
    }

    public void setGateActivationFn(IActivation gateActivationFn) {
        this.gateActivationFn = gateActivationFn;
    }

    /** True: reset gate applied after the recurrent product of the candidate (cuDNN form). */
    public boolean isResetAfter() {
        return resetAfter;
    }

    public void setResetAfter(boolean resetAfter) {
        this.resetAfter = resetAfter;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof Gru other) || !other.canEqual(this) || !super.equals(o)) return false;
        return resetAfter == other.resetAfter && Objects.equals(gateActivationFn, other.gateActivationFn);
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof Gru;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), gateActivationFn, resetAfter);
    }

    @Override
    public String toString() {
        return "Gru(" + super.toString() + ", gateActivationFn=" + gateActivationFn
                + ", resetAfter=" + resetAfter + ")";
    }

    /**
     * Builder mirroring {@code LSTM.Builder}: {@code nIn}, {@code nOut}, {@code activation}
     * (default tanh), {@code gateActivationFunction} (default sigmoid), {@code weightInit},
     * {@code weightInitRecurrent}, {@code l1}/{@code l2}, {@code dropOut} (on the inputs),
     * {@code constrainWeights}/{@code constrainRecurrent}/{@code constrainInputWeights},
     * {@code dataFormat} and {@link #resetAfter(boolean)}.
     */
    public static class Builder extends BaseRecurrentLayer.Builder<Builder> {

        private IActivation gateActivationFn = new ActivationSigmoid();
        private boolean resetAfter = true;

        public Builder() {
            this.activationFn = new ActivationTanH();
        }

        public Builder gateActivationFunction(String gateActivationFn) {
            return gateActivationFunction(Activation.fromString(gateActivationFn));
        }

        public Builder gateActivationFunction(Activation gateActivationFn) {
            return gateActivationFunction(gateActivationFn.getActivationFunction());
        }

        public Builder gateActivationFunction(IActivation gateActivationFn) {
            this.gateActivationFn = Objects.requireNonNull(gateActivationFn, "gateActivationFunction");
            return this;
        }

        /** True (default): cuDNN/PyTorch form; false: Cho et al. 2014 (see {@link Gru}). */
        public Builder resetAfter(boolean resetAfter) {
            this.resetAfter = resetAfter;
            return this;
        }

        @Override
        public Gru build() {
            return new Gru(this);
        }
    }
}
