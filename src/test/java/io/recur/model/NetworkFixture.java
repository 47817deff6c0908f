package io.recur.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.DoubleSupplier;
import java.util.function.Function;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Sizes, data and comparisons shared by the tests of the recurrent layers inside a network. */
final class NetworkFixture {
    static final int IN = 5;
    static final int HIDDEN = 6;
    static final int CLASSES = 4;
    static final int BATCH = 3;
    static final int STEPS = 7;

    private NetworkFixture() {}

    static MultiLayerNetwork network(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static INDArray input(DataType dataType, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(dataType, BATCH, IN, STEPS).subi(0.5);
    }

    static DataSet sequenceData(DataType dataType, long seed) {
        Random random = new Random(seed);
        INDArray labels = Nd4j.zeros(dataType, BATCH, CLASSES, STEPS);
        for (int b = 0; b < BATCH; b++)
            for (int t = 0; t < STEPS; t++)
                labels.putScalar(new int[] {b, random.nextInt(CLASSES), t}, 1.0);
        return new DataSet(input(dataType, seed), labels);
    }

    static void assertAllClose(INDArray expected, INDArray actual, double tolerance, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double maxDiff = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(maxDiff <= tolerance, what + ": max abs difference " + maxDiff + " > " + tolerance);
    }

    /**
     * Builds the network in float32 and float64 with the double one's parameters, computes score
     * and gradients of the same masked data, and asserts they agree within {@code tolerance}: the
     * gradient checks run in double, training runs in float, and the layers' fused loops read and
     * write each type its own way.
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
        assertAllClose(inDouble.gradient().gradient(), inFloat.gradient().gradient(), tolerance, "gradient");
    }

    /**
     * Compares each element of an analytic gradient with central differences of {@code loss}, moving
     * the matching element of {@code params} (a live view of the parameters the loss reads).
     */
    static void assertMatchesCentralDifferences(INDArray params, INDArray analytic, DoubleSupplier loss) {
        double h = 1e-6;
        for (long i = 0; i < params.length(); i++) {
            double original = params.getDouble(i);
            params.putScalar(i, original + h);
            double plus = loss.getAsDouble();
            params.putScalar(i, original - h);
            double minus = loss.getAsDouble();
            params.putScalar(i, original);
            double numeric = (plus - minus) / (2 * h);
            double a = analytic.getDouble(i);
            // Central differences at h = 1e-6 carry ~1e-10 of round-off, hence the absolute floor.
            double relative = Math.abs(a - numeric) / Math.max(Math.max(Math.abs(a), Math.abs(numeric)), 1e-6);
            assertTrue(relative < 1e-6 || Math.abs(a - numeric) < 1e-8,
                    "parameter " + i + ": analytic " + a + " vs numeric " + numeric);
        }
    }
}
