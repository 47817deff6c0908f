package io.recur.model;

import static io.recur.model.GradientCheckFixture.BATCH;
import static io.recur.model.GradientCheckFixture.CLASSES;
import static io.recur.model.GradientCheckFixture.HIDDEN;
import static io.recur.model.GradientCheckFixture.IN;
import static io.recur.model.GradientCheckFixture.base;
import static io.recur.model.GradientCheckFixture.gradientsMatch;
import static io.recur.model.GradientCheckFixture.init;
import static io.recur.model.GradientCheckFixture.input;
import static io.recur.model.GradientCheckFixture.sequenceLabels;
import static io.recur.model.GradientCheckFixture.sequenceOutput;
import static io.recur.model.GradientCheckFixture.variableLengthMask;
import static org.junit.jupiter.api.Assertions.assertTrue;


import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** Analytic gradients of networks with {@link Gru} layers against DL4J's finite differences. */
@DisplayName("Gru gradients (DL4J GradientCheckUtil, float64)")
class GruGradientCheckTest {

    static {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    private static Gru.Builder gru(int nIn, boolean resetAfter) {
        return new Gru.Builder().nIn(nIn).nOut(HIDDEN).resetAfter(resetAfter);
    }

    @Nested
    @DisplayName("a single Gru layer")
    class Single {
        @ParameterizedTest(name = "resetAfter={0}")
        @ValueSource(booleans = {true, false})
        void matchesFiniteDifferences(boolean resetAfter) {
            MultiLayerNetwork net = init(base(1).layer(gru(IN, resetAfter).build()).layer(sequenceOutput(HIDDEN)));
            assertTrue(gradientsMatch(net, input(2), sequenceLabels(3), null, null));
        }

        @ParameterizedTest(name = "resetAfter={0}")
        @ValueSource(booleans = {true, false})
        void matchesFiniteDifferencesWithVariableLengthMasks(boolean resetAfter) {
            MultiLayerNetwork net = init(base(4).layer(gru(IN, resetAfter).build()).layer(sequenceOutput(HIDDEN)));
            INDArray mask = variableLengthMask();
            assertTrue(gradientsMatch(net, input(5), sequenceLabels(6), mask, mask));
        }

        @ParameterizedTest(name = "resetAfter={0}")
        @ValueSource(booleans = {true, false})
        void matchesFiniteDifferencesWithActivationsOtherThanSigmoidAndTanh(boolean resetAfter) {
            // Softsign is smooth, so the check is exact; it takes the generic IActivation route.
            Gru.Builder gru = gru(IN, resetAfter).gateActivationFunction(Activation.SOFTSIGN)
                    .activation(Activation.SOFTSIGN);
            MultiLayerNetwork net = init(base(10).layer(gru.build()).layer(sequenceOutput(HIDDEN)));
            INDArray mask = variableLengthMask();
            assertTrue(gradientsMatch(net, input(11), sequenceLabels(12), mask, mask));
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"l1", "l2"})
        void matchesFiniteDifferencesWithWeightRegularization(String kind) {
            Gru.Builder gru = gru(IN, true);
            if (kind.equals("l1")) gru.l1(0.01);
            else gru.l2(0.02);
            MultiLayerNetwork net = init(base(7).layer(gru.build()).layer(sequenceOutput(HIDDEN)));
            assertTrue(gradientsMatch(net, input(8), sequenceLabels(9), null, null));
        }

        @Test
        void matchesFiniteDifferencesWithTimeMajorNwcData() {
            MultiLayerNetwork net = init(base(10)
                    .layer(gru(IN, true).dataFormat(RNNFormat.NWC).build())
                    .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX)
                            .dataFormat(RNNFormat.NWC).nIn(HIDDEN).nOut(CLASSES).build()));
            INDArray nwcInput = input(11).permute(0, 2, 1).dup();
            INDArray nwcLabels = sequenceLabels(12).permute(0, 2, 1).dup();
            assertTrue(gradientsMatch(net, nwcInput, nwcLabels, null, null));
        }
    }

    @Nested
    @DisplayName("Gru layers in networks")
    class Composed {
        @Test
        void matchesFiniteDifferencesStackedTwoDeepWithMasks() {
            MultiLayerNetwork net = init(base(20).layer(gru(IN, true).build()).layer(gru(HIDDEN, false).build())
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
            MultiLayerNetwork net = init(base(30).layer(new Bidirectional(m, gru(IN, true).build()))
                    .layer(sequenceOutput(outSize)).setInputType(InputType.recurrent(IN)));
            INDArray mask = variableLengthMask();
            assertTrue(gradientsMatch(net, input(31), sequenceLabels(32), mask, mask));
        }

        @Test
        void matchesFiniteDifferencesUnderLastTimeStepOfBidirectionalWithMasks() {
            MultiLayerNetwork net = init(base(50)
                    .layer(new LastTimeStep(new Bidirectional(Bidirectional.Mode.CONCAT, gru(IN, true).build())))
                    .layer(new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX)
                            .nIn(2 * HIDDEN).nOut(CLASSES).build()));
            INDArray labels = Nd4j.zeros(DataType.DOUBLE, BATCH, CLASSES);
            for (int b = 0; b < BATCH; b++) labels.putScalar(b, (b + 1) % CLASSES, 1.0);
            assertTrue(gradientsMatch(net, input(51), labels, variableLengthMask(), null));
        }

        @ParameterizedTest(name = "resetAfter={0}")
        @ValueSource(booleans = {true, false})
        void matchesFiniteDifferencesUnderLastTimeStepWithMasks(boolean resetAfter) {
            MultiLayerNetwork net = init(base(40).layer(new LastTimeStep(gru(IN, resetAfter).build()))
                    .layer(new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX)
                            .nIn(HIDDEN).nOut(CLASSES).build()));
            INDArray labels = Nd4j.zeros(DataType.DOUBLE, BATCH, CLASSES);
            for (int b = 0; b < BATCH; b++) labels.putScalar(b, b % CLASSES, 1.0);
            assertTrue(gradientsMatch(net, input(41), labels, variableLengthMask(), null));
        }
    }
}
