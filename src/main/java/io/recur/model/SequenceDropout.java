package io.recur.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * Dropout as a layer of its own in front of a recurrent layer, for sequences with masks.
 *
 * <p>Why not DL4J's in-layer dropout: the Bidirectional and LastTimeStep wrappers do not deep-copy
 * the layer they wrap when a configuration is cloned, so the dropout mask (state kept in the
 * configuration) is shared by every copy; Spark workers in one executor JVM then overwrite each
 * other's masks and fail on minibatches of different lengths. Why not DL4J's DropoutLayer: it
 * multiplies its output by the feature mask as if it were a column vector and fails on
 * {@code [batch, steps]} masks. This layer passes the mask on untouched; padded steps are masked
 * downstream anyway.
 */
public class SequenceDropout extends DropoutLayer {

    /** For JSON deserialisation. */
    public SequenceDropout() {
    }

    /** @param retainProbability probability of keeping an activation */
    public SequenceDropout(double retainProbability) {
        super(retainProbability);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType dataType) {
        Impl layer = new Impl(conf, dataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(paramsView);
        layer.setParamTable(initializer().init(conf, paramsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    static final class Impl extends org.deeplearning4j.nn.layers.DropoutLayer {
        Impl(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        public void setMaskArray(INDArray maskArray) {
            // Not kept: the parent would multiply [batch, size, steps] activations by it as a column vector.
        }

        @Override
        public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState state, int minibatchSize) {
            return new Pair<>(maskArray, state);
        }
    }
}
