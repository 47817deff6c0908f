package io.recur.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * The many-to-one read of a bidirectional layer: the forward half at each sequence's last real
 * step and the backward half at step 0, the two places where each direction has read the whole
 * sequence. DL4J's {@code LastTimeStep} over a {@code Bidirectional} reads both halves at the last
 * step, where the backward direction has read only the last token.
 *
 * <p>Runs saved with {@code LastTimeStep(Bidirectional)} keep that layer and its behaviour.
 */
public class BidirectionalEnds extends BaseWrapperLayer {

    private BidirectionalEnds() {
        // Jackson reads the wrapped layer back through its setter.
    }

    public BidirectionalEnds(Bidirectional underlying) {
        super(underlying);
        this.layerName = underlying.getLayerName();
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int index,
                             INDArray params, boolean initializeParams, DataType dataType) {
        NeuralNetConfiguration inner = conf.clone();
        inner.setLayer(underlying);
        return new BidirectionalEndsLayer(underlying.instantiate(inner, listeners, index, params, initializeParams, dataType));
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        if (inputType.getType() != InputType.Type.RNN)
            throw new IllegalArgumentException("a bidirectional layer needs recurrent input, got " + inputType);
        return InputType.feedForward(((InputType.InputTypeRecurrent) underlying.getOutputType(layerIndex, inputType)).getSize());
    }
}
