package io.recur.model;

import java.util.Random;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Sizes, data and the finite-difference check shared by the recurrent layers' gradient checks
 * (float64, DL4J's {@link GradientCheckUtil}).
 */
final class GradientCheckFixture {
    // Small on purpose: each parameter costs two forward passes of the whole network.
    static final int IN = 2;
    static final int HIDDEN = 3;
    static final int CLASSES = 3;
    static final int BATCH = 3;
    static final int STEPS = 4;

    private GradientCheckFixture() {}

    static NeuralNetConfiguration.ListBuilder base(long seed) {
        return new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE)
                .seed(seed)
                .updater(new NoOp())
                .dist(new NormalDistribution(0, 1))
                .list();
    }

    static RnnOutputLayer sequenceOutput(int nIn) {
        return new RnnOutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX)
                .nIn(nIn).nOut(CLASSES).build();
    }

    static INDArray input(long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.DOUBLE, BATCH, IN, STEPS).subi(0.5).muli(2);
    }

    static INDArray sequenceLabels(long seed) {
        Random random = new Random(seed);
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, BATCH, CLASSES, STEPS);
        for (int b = 0; b < BATCH; b++)
            for (int t = 0; t < STEPS; t++)
                labels.putScalar(new int[] {b, random.nextInt(CLASSES), t}, 1.0);
        return labels;
    }

    /** Lengths 4, 2 and 1 steps. */
    static INDArray variableLengthMask() {
        INDArray mask = Nd4j.zeros(DataType.DOUBLE, BATCH, STEPS);
        int[] lengths = {STEPS, 2, 1};
        for (int b = 0; b < BATCH; b++)
            for (int t = 0; t < lengths[b]; t++)
                mask.putScalar(b, t, 1.0);
        return mask;
    }

    static boolean gradientsMatch(MultiLayerNetwork net, INDArray input, INDArray labels,
                                  INDArray inputMask, INDArray labelMask) {
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net)
                .input(input).labels(labels).inputMask(inputMask).labelMask(labelMask)
                .epsilon(1e-6).maxRelError(1e-6).minAbsoluteError(1e-9));
    }

    static MultiLayerNetwork init(NeuralNetConfiguration.ListBuilder builder) {
        MultiLayerNetwork net = new MultiLayerNetwork(builder.build());
        net.init();
        return net;
    }
}
