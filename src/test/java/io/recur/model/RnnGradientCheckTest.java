package io.recur.model;

import static io.recur.model.GradientCheckFixture.BATCH;
import static io.recur.model.GradientCheckFixture.CLASSES;
import static io.recur.model.GradientCheckFixture.HIDDEN;
import static io.recur.model.GradientCheckFixture.IN;
import static io.recur.model.GradientCheckFixture.STEPS;
import static io.recur.model.GradientCheckFixture.base;
import static io.recur.model.GradientCheckFixture.gradientsMatch;
import static io.recur.model.GradientCheckFixture.init;
import static io.recur.model.GradientCheckFixture.input;
import static io.recur.model.GradientCheckFixture.sequenceLabels;
import static io.recur.model.GradientCheckFixture.sequenceOutput;
import static io.recur.model.GradientCheckFixture.variableLengthMask;
import static org.junit.jupiter.api.Assertions.assertTrue;


import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** Analytic gradients of networks with {@link Rnn} layers against DL4J's finite differences. */
@DisplayName("Rnn gradients (DL4J GradientCheckUtil, float64)")
class RnnGradientCheckTest {

    static {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    private static Rnn.Builder rnn(int nIn) {
        return new Rnn.Builder().nIn(nIn).nOut(HIDDEN);
    }

    @Nested
    @DisplayName("a single Rnn layer")
    class Single {
        @Test
        void matchesFiniteDifferences() {
            MultiLayerNetwork net = init(base(1).layer(rnn(IN).build()).layer(sequenceOutput(HIDDEN)));
            assertTrue(gradientsMatch(net, input(2), sequenceLabels(3), null, null));
        }

        @Test
        void matchesFiniteDifferencesWithVariableLengthMasks() {
            MultiLayerNetwork net = init(base(4).layer(rnn(IN).build()).layer(sequenceOutput(HIDDEN)));
            INDArray mask = variableLengthMask();
            assertTrue(gradientsMatch(net, input(5), sequenceLabels(6), mask, mask));
        }

        @Test
        void matchesFiniteDifferencesWithAMaskHoleInsideTheSequence() {
            MultiLayerNetwork net = init(base(14).layer(rnn(IN).build()).layer(sequenceOutput(HIDDEN)));
            INDArray mask = Nd4j.ones(DataType.DOUBLE, BATCH, STEPS);
            mask.putScalar(0, 1, 0.0);
            mask.putScalar(2, 2, 0.0);
            assertTrue(gradientsMatch(net, input(15), sequenceLabels(16), mask, mask));
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"l1", "l2"})
        void matchesFiniteDifferencesWithWeightRegularization(String kind) {
            Rnn.Builder rnn = rnn(IN);
            if (kind.equals("l1")) rnn.l1(0.01);
            else rnn.l2(0.02);
            MultiLayerNetwork net = init(base(7).layer(rnn.build()).layer(sequenceOutput(HIDDEN)));
            assertTrue(gradientsMatch(net, input(8), sequenceLabels(9), null, null));
        }

        @Test
        void matchesFiniteDifferencesWithTimeMajorNwcData() {
            MultiLayerNetwork net = init(base(10)
                    .layer(rnn(IN).dataFormat(RNNFormat.NWC).build())
                    .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX)
                            .dataFormat(RNNFormat.NWC).nIn(HIDDEN).nOut(CLASSES).build()));
            INDArray nwcInput = input(11).permute(0, 2, 1).dup();
            INDArray nwcLabels = sequenceLabels(12).permute(0, 2, 1).dup();
            assertTrue(gradientsMatch(net, nwcInput, nwcLabels, null, null));
        }
    }

    @Nested
    @DisplayName("Rnn layers in networks")
    class Composed {
        @Test
        void matchesFiniteDifferencesStackedTwoDeepWithMasks() {
            MultiLayerNetwork net = init(base(20).layer(rnn(IN).build()).layer(rnn(HIDDEN).build())
                    .layer(sequenceOutput(HIDDEN)));
            INDArray mask = variableLengthMask();
            assertTrue(gradientsMatch(net, input(21), sequenceLabels(22), mask, mask));
        }

        @ParameterizedTest(name = "mode={0}")
        @ValueSource(strings = {"CONCAT", "ADD"})
        void matchesFiniteDifferencesInsideBidirectionalWithMasks(String mode) {
            Bidirectional.Mode m = Bidirectional.Mode.valueOf(mode);
            int outSize = m == Bidirectional.Mode.CONCAT ? 2 * HIDDEN : HIDDEN;
            // Without an input type DL4J leaves the output layer's data format unset after a Bidirectional.
            MultiLayerNetwork net = init(base(30).layer(new Bidirectional(m, rnn(IN).build()))
                    .layer(sequenceOutput(outSize)).setInputType(InputType.recurrent(IN)));
            INDArray mask = variableLengthMask();
            assertTrue(gradientsMatch(net, input(31), sequenceLabels(32), mask, mask));
        }

        @Test
        void matchesFiniteDifferencesUnderLastTimeStepOfBidirectionalWithMasks() {
            MultiLayerNetwork net = init(base(50)
                    .layer(new LastTimeStep(new Bidirectional(Bidirectional.Mode.CONCAT, rnn(IN).build())))
                    .layer(new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX)
                            .nIn(2 * HIDDEN).nOut(CLASSES).build()));
            INDArray labels = Nd4j.zeros(DataType.DOUBLE, BATCH, CLASSES);
            for (int b = 0; b < BATCH; b++) labels.putScalar(b, (b + 1) % CLASSES, 1.0);
            assertTrue(gradientsMatch(net, input(51), labels, variableLengthMask(), null));
        }
    }
}
