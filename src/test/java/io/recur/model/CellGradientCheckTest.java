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

import io.recur.config.Cell;
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
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Analytic gradients of every cell ({@link Cell#values()}) against DL4J's finite differences
 * (float64), alone and in the networks recur builds.
 */
@DisplayName("Cell gradients (DL4J GradientCheckUtil, float64)")
class CellGradientCheckTest {

    static {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    private static FusedRecurrent.Builder layer(Cell cell, int nIn) {
        return new FusedRecurrent.Builder(cell).nIn(nIn).nOut(HIDDEN);
    }

    private static INDArray classLabels(int shift) {
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, BATCH, CLASSES);
        for (int b = 0; b < BATCH; b++) labels.putScalar(b, (b + shift) % CLASSES, 1.0);
        return labels;
    }

    @Nested
    @DisplayName("a single layer")
    class Single {
        @ParameterizedTest(name = "{0}")
        @EnumSource(Cell.class)
        void matchesFiniteDifferences(Cell cell) {
            MultiLayerNetwork net = init(base(1).layer(layer(cell, IN).build()).layer(sequenceOutput(HIDDEN)));
            assertTrue(gradientsMatch(net, input(2), sequenceLabels(3), null, null));
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(Cell.class)
        void matchesFiniteDifferencesWithVariableLengthMasks(Cell cell) {
            MultiLayerNetwork net = init(base(4).layer(layer(cell, IN).build()).layer(sequenceOutput(HIDDEN)));
            INDArray mask = variableLengthMask();
            assertTrue(gradientsMatch(net, input(5), sequenceLabels(6), mask, mask));
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(Cell.class)
        void matchesFiniteDifferencesWithAMaskHoleInsideTheSequence(Cell cell) {
            MultiLayerNetwork net = init(base(14).layer(layer(cell, IN).build()).layer(sequenceOutput(HIDDEN)));
            INDArray mask = Nd4j.ones(DataType.DOUBLE, BATCH, STEPS);
            mask.putScalar(0, 1, 0.0);
            mask.putScalar(2, 2, 0.0);
            assertTrue(gradientsMatch(net, input(15), sequenceLabels(16), mask, mask));
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(Cell.class)
        void matchesFiniteDifferencesWithL1(Cell cell) {
            MultiLayerNetwork net = init(base(7).layer(layer(cell, IN).l1(0.01).build()).layer(sequenceOutput(HIDDEN)));
            assertTrue(gradientsMatch(net, input(8), sequenceLabels(9), null, null));
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(Cell.class)
        void matchesFiniteDifferencesWithL2(Cell cell) {
            MultiLayerNetwork net = init(base(7).layer(layer(cell, IN).l2(0.02).build()).layer(sequenceOutput(HIDDEN)));
            assertTrue(gradientsMatch(net, input(8), sequenceLabels(9), null, null));
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(Cell.class)
        void matchesFiniteDifferencesWithTimeMajorNwcData(Cell cell) {
            MultiLayerNetwork net = init(base(10)
                    .layer(layer(cell, IN).dataFormat(RNNFormat.NWC).build())
                    .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX)
                            .dataFormat(RNNFormat.NWC).nIn(HIDDEN).nOut(CLASSES).build()));
            INDArray nwcInput = input(11).permute(0, 2, 1).dup();
            INDArray nwcLabels = sequenceLabels(12).permute(0, 2, 1).dup();
            assertTrue(gradientsMatch(net, nwcInput, nwcLabels, null, null));
        }
    }

    @Nested
    @DisplayName("layers in networks")
    class Composed {
        @ParameterizedTest(name = "{0}")
        @EnumSource(Cell.class)
        void matchesFiniteDifferencesStackedTwoDeepWithMasks(Cell cell) {
            MultiLayerNetwork net = init(base(20).layer(layer(cell, IN).build()).layer(layer(cell, HIDDEN).build())
                    .layer(sequenceOutput(HIDDEN)));
            INDArray mask = variableLengthMask();
            assertTrue(gradientsMatch(net, input(21), sequenceLabels(22), mask, mask));
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(Cell.class)
        void matchesFiniteDifferencesInsideConcatBidirectionalWithMasks(Cell cell) {
            assertTrue(bidirectionalGradientsMatch(cell, Bidirectional.Mode.CONCAT));
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(Cell.class)
        void matchesFiniteDifferencesInsideAddBidirectionalWithMasks(Cell cell) {
            assertTrue(bidirectionalGradientsMatch(cell, Bidirectional.Mode.ADD));
        }

        private boolean bidirectionalGradientsMatch(Cell cell, Bidirectional.Mode mode) {
            int outSize = mode == Bidirectional.Mode.CONCAT ? 2 * HIDDEN : HIDDEN;
            // Without an input type DL4J leaves the output layer's data format unset after a Bidirectional.
            MultiLayerNetwork net = init(base(30).layer(new Bidirectional(mode, layer(cell, IN).build()))
                    .layer(sequenceOutput(outSize)).setInputType(InputType.recurrent(IN)));
            INDArray mask = variableLengthMask();
            return gradientsMatch(net, input(31), sequenceLabels(32), mask, mask);
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(Cell.class)
        void matchesFiniteDifferencesUnderLastTimeStepWithMasks(Cell cell) {
            MultiLayerNetwork net = init(base(40).layer(new LastTimeStep(layer(cell, IN).build()))
                    .layer(new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX)
                            .nIn(HIDDEN).nOut(CLASSES).build()));
            assertTrue(gradientsMatch(net, input(41), classLabels(0), variableLengthMask(), null));
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(Cell.class)
        void matchesFiniteDifferencesUnderLastTimeStepOfBidirectionalWithMasks(Cell cell) {
            MultiLayerNetwork net = init(base(50)
                    .layer(new LastTimeStep(new Bidirectional(Bidirectional.Mode.CONCAT, layer(cell, IN).build())))
                    .layer(new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX)
                            .nIn(2 * HIDDEN).nOut(CLASSES).build()));
            assertTrue(gradientsMatch(net, input(51), classLabels(1), variableLengthMask(), null));
        }
    }
}
