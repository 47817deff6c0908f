package io.recur.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The float32 computation of a network against its float64 one: the gradient checks run in
 * double, training runs in float, and the layers' fused loops read and write each type its own way.
 */
final class PrecisionCheck {
    private PrecisionCheck() {}

    /**
     * Builds the network in both types with the double one's parameters, computes score and
     * gradients of the same masked data, and asserts they agree within {@code tolerance}.
     */
    static void assertFloatGradientsMatchDouble(Function<DataType, MultiLayerNetwork> network, DataSet data,
                                                INDArray mask, double tolerance) {
        MultiLayerNetwork inDouble = network.apply(DataType.DOUBLE);
        MultiLayerNetwork inFloat = network.apply(DataType.FLOAT);
        inFloat.setParams(inDouble.params().castTo(DataType.FLOAT));
        for (MultiLayerNetwork net : new MultiLayerNetwork[] {inDouble, inFloat}) {
            DataType type = net.params().dataType();
            net.setInput(data.getFeatures().castTo(type));
            net.setLabels(data.getLabels().castTo(type));
            net.setLayerMaskArrays(mask.castTo(type), mask.castTo(type));
            net.computeGradientAndScore();
        }
        assertEquals(inDouble.score(), inFloat.score(), tolerance, "score");
        INDArray difference = inDouble.gradient().gradient().sub(inFloat.gradient().gradient().castTo(DataType.DOUBLE));
        double maxDifference = difference.amaxNumber().doubleValue();
        assertTrue(maxDifference <= tolerance, "gradient: max abs difference " + maxDifference + " > " + tolerance);
    }
}
