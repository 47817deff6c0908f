package io.recur.model;

import io.recur.config.Cell;
import static io.recur.model.NetworkFixture.BATCH;
import static io.recur.model.NetworkFixture.CLASSES;
import static io.recur.model.NetworkFixture.HIDDEN;
import static io.recur.model.NetworkFixture.IN;
import static io.recur.model.NetworkFixture.STEPS;
import static io.recur.model.NetworkFixture.assertAllClose;
import static io.recur.model.NetworkFixture.assertFloatGradientsMatchDouble;
import static io.recur.model.NetworkFixture.assertMatchesCentralDifferences;
import static io.recur.model.NetworkFixture.input;
import static io.recur.model.NetworkFixture.network;
import static io.recur.model.NetworkFixture.sequenceData;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.layers.RecurrentLayer;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** {@link Lstm} inside {@code MultiLayerNetwork}: configuration, persistence, state and training. */
@DisplayName("Lstm in a MultiLayerNetwork")
class LstmNetworkTest {

    private static MultiLayerConfiguration twoLayerConf(DataType dataType, WorkspaceMode workspaceMode) {
        return new NeuralNetConfiguration.Builder()
                .dataType(dataType)
                .seed(42)
                .updater(new Adam(0.01))
                .trainingWorkspaceMode(workspaceMode)
                .inferenceWorkspaceMode(workspaceMode)
                .list()
                .layer(new FusedRecurrent.Builder(Cell.LSTM).nIn(IN).nOut(HIDDEN).build())
                .layer(new FusedRecurrent.Builder(Cell.LSTM).nIn(HIDDEN).nOut(HIDDEN).build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nIn(HIDDEN).nOut(CLASSES).build())
                .build();
    }

    @Nested
    @DisplayName("configuration")
    class Configuration {
        @Test
        void keepsEveryLstmSettingThroughJson() {
            MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                    .layer(new FusedRecurrent.Builder(Cell.LSTM).nIn(IN).nOut(HIDDEN)
                            .l2(0.003).dropOut(0.8).weightInitRecurrent(WeightInit.ZERO).build())
                    .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).nIn(HIDDEN).nOut(CLASSES).build())
                    .build();
            MultiLayerConfiguration restored = MultiLayerConfiguration.fromJson(conf.toJson());
            assertEquals(conf, restored);
            assertEquals(Cell.LSTM, ((FusedRecurrent) restored.getConf(0).getLayer()).getCell());
            assertEquals(conf.toJson(), restored.toJson());
        }

        @Test
        void laysOutParametersAsWRwAndBWithFourGateBlocks() {
            MultiLayerNetwork net = network(twoLayerConf(DataType.FLOAT, WorkspaceMode.ENABLED));
            Map<String, INDArray> params = net.getLayer(0).paramTable();
            assertEquals(List.of("W", "RW", "b"), List.copyOf(params.keySet()));
            assertArrayEquals(new long[] {IN, 4L * HIDDEN}, params.get("W").shape());
            assertArrayEquals(new long[] {HIDDEN, 4L * HIDDEN}, params.get("RW").shape());
            assertArrayEquals(new long[] {1, 4L * HIDDEN}, params.get("b").shape());
            assertEquals(4L * (IN * HIDDEN + HIDDEN * HIDDEN + HIDDEN), net.getLayer(0).numParams());
        }

        @Test
        void startsTheForgetGateBiasAtOneAndTheOtherBiasesAtZero() {
            INDArray b = network(twoLayerConf(DataType.FLOAT, WorkspaceMode.ENABLED)).getLayer(0).getParam("b");
            for (int block = 0; block < 4; block++) {
                double expected = block == 1 ? 1.0 : 0.0;
                INDArray values = b.get(point(0), interval(block * HIDDEN, (block + 1) * HIDDEN));
                assertEquals(expected, values.minNumber().doubleValue(), "block " + block);
                assertEquals(expected, values.maxNumber().doubleValue(), "block " + block);
            }
        }

        @Test
        void rejectsAnActivationOtherThanTanh() {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> new FusedRecurrent.Builder(Cell.LSTM).nIn(IN).nOut(HIDDEN).activation(Activation.RELU).build());
            assertTrue(e.getMessage().contains("tanh") && e.getMessage().contains("LSTM"), e.getMessage());
        }
    }

    @Nested
    @DisplayName("float and double")
    class Precision {
        @Test
        void floatGradientsOfMaskedDataMatchDouble() {
            INDArray mask = Nd4j.ones(DataType.DOUBLE, BATCH, STEPS);
            mask.get(point(2), interval(3, STEPS)).assign(0);
            assertFloatGradientsMatchDouble(type -> network(twoLayerConf(type, WorkspaceMode.ENABLED)),
                    sequenceData(DataType.DOUBLE, 8), mask, 1e-5);
        }
    }

    @Nested
    @DisplayName("persistence")
    class Persistence {
        @Test
        void restoresFromModelSerializerWithIdenticalOutputs(@TempDir Path dir) throws IOException {
            MultiLayerNetwork net = network(twoLayerConf(DataType.FLOAT, WorkspaceMode.ENABLED));
            net.fit(sequenceData(DataType.FLOAT, 1));
            File file = dir.resolve("lstm.zip").toFile();
            ModelSerializer.writeModel(net, file, true);
            MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
            INDArray x = input(DataType.FLOAT, 2);
            assertEquals(net.output(x), restored.output(x));
            assertEquals(net.params(), restored.params());
            assertEquals(net.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());
        }
    }

    @Nested
    @DisplayName("stored state")
    class StoredState {
        @Test
        void stepByStepOutputEqualsFullSequenceOutput() {
            MultiLayerNetwork net = network(twoLayerConf(DataType.DOUBLE, WorkspaceMode.ENABLED));
            INDArray x = input(DataType.DOUBLE, 3);
            INDArray full = net.output(x);
            net.rnnClearPreviousState();
            for (int t = 0; t < STEPS; t++) {
                INDArray step = net.rnnTimeStep(x.get(all(), all(), point(t)));
                assertAllClose(full.get(all(), all(), point(t)), step, 1e-12, "step " + t);
            }
        }

        @Test
        void chunkedTimeStepsContinueFromRestoredState() {
            MultiLayerNetwork net = network(twoLayerConf(DataType.DOUBLE, WorkspaceMode.ENABLED));
            INDArray x = input(DataType.DOUBLE, 4);
            INDArray full = net.output(x);
            net.rnnClearPreviousState();
            net.rnnTimeStep(x.get(all(), all(), interval(0, 3)));
            Map<String, INDArray> saved0 = net.rnnGetPreviousState(0);
            Map<String, INDArray> saved1 = net.rnnGetPreviousState(1);
            net.rnnClearPreviousState();
            net.rnnSetPreviousState(0, saved0);
            net.rnnSetPreviousState(1, saved1);
            INDArray rest = net.rnnTimeStep(x.get(all(), all(), interval(3, STEPS)));
            assertAllClose(full.get(all(), all(), interval(3, STEPS)), rest, 1e-12, "steps 3..6");
        }

        @Test
        void maskedStepsOutputZeroAndCarryBothStates() {
            MultiLayerNetwork net = network(twoLayerConf(DataType.DOUBLE, WorkspaceMode.ENABLED));
            RecurrentLayer lstm = (RecurrentLayer) net.getLayer(0);
            INDArray x = input(DataType.DOUBLE, 5);
            INDArray mask = Nd4j.ones(DataType.DOUBLE, BATCH, STEPS);
            mask.get(point(1), interval(4, STEPS)).assign(0);
            LayerWorkspaceMgr noWs = LayerWorkspaceMgr.noWorkspaces();

            lstm.setMaskArray(mask);
            lstm.rnnTimeStep(x, noWs);
            INDArray maskedOut = lstm.activate(x, false, noWs);
            Map<String, INDArray> paddedState = lstm.rnnGetPreviousState();
            lstm.rnnClearPreviousState();
            lstm.setMaskArray(null);
            INDArray prefix = x.get(interval(1, 2), all(), interval(0, 4)).dup();
            INDArray prefixOut = lstm.rnnTimeStep(prefix, noWs);
            Map<String, INDArray> prefixState = lstm.rnnGetPreviousState();

            assertEquals(0.0, maskedOut.get(point(1), all(), interval(4, STEPS)).amaxNumber().doubleValue());
            assertAllClose(prefixOut.get(point(0), all(), all()), maskedOut.get(point(1), all(), interval(0, 4)),
                    1e-12, "real steps of the padded example");
            for (String key : List.of(FusedRecurrentLayer.STATE_KEY, FusedRecurrentLayer.CELL_KEY)) {
                assertAllClose(prefixState.get(key).get(point(0), all()), paddedState.get(key).get(point(1), all()),
                        1e-12, key + " after the last real step");
            }
        }
    }

    @Nested
    @DisplayName("truncated BPTT")
    class TruncatedBptt {
        private FusedRecurrentLayer singleLayer() {
            MultiLayerNetwork net = network(new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(7)
                    .list().layer(new FusedRecurrent.Builder(Cell.LSTM).nIn(IN).nOut(HIDDEN).build()).build());
            net.initGradientsView();
            return (FusedRecurrentLayer) net.getLayer(0);
        }

        @Test
        void segmentsWithCarriedStateReproduceTheFullSequence() {
            FusedRecurrentLayer lstm = singleLayer();
            LayerWorkspaceMgr noWs = LayerWorkspaceMgr.noWorkspaces();
            INDArray x = input(DataType.DOUBLE, 6);
            INDArray full = lstm.activate(x, false, noWs).dup();
            lstm.rnnClearPreviousState();
            INDArray first = lstm.rnnActivateUsingStoredState(x.get(all(), all(), interval(0, 3)).dup(), true, true, noWs).dup();
            INDArray second = lstm.rnnActivateUsingStoredState(x.get(all(), all(), interval(3, STEPS)).dup(), true, true, noWs);
            assertAllClose(full.get(all(), all(), interval(0, 3)), first, 1e-12, "segment 1");
            assertAllClose(full.get(all(), all(), interval(3, STEPS)), second, 1e-12, "segment 2");
        }

        @Test
        void segmentGradientTreatsTheCarriedStatesAsInput() {
            FusedRecurrentLayer lstm = singleLayer();
            LayerWorkspaceMgr noWs = LayerWorkspaceMgr.noWorkspaces();
            INDArray x = input(DataType.DOUBLE, 7);
            INDArray seg1 = x.get(all(), all(), interval(0, 3)).dup();
            INDArray seg2 = x.get(all(), all(), interval(3, STEPS)).dup();
            Nd4j.getRandom().setSeed(8);
            INDArray r = Nd4j.rand(DataType.DOUBLE, BATCH, HIDDEN, STEPS - 3).subi(0.5);

            lstm.rnnClearPreviousState();
            lstm.rnnActivateUsingStoredState(seg1, true, true, noWs);
            Map<String, INDArray> tbptt = lstm.rnnGetTBPTTState();
            Map<String, INDArray> carried = Map.of(FusedRecurrentLayer.STATE_KEY, tbptt.get(FusedRecurrentLayer.STATE_KEY).dup(),
                    FusedRecurrentLayer.CELL_KEY, tbptt.get(FusedRecurrentLayer.CELL_KEY).dup());
            lstm.rnnActivateUsingStoredState(seg2, true, true, noWs);
            Gradient analytic = lstm.tbpttBackpropGradient(r, STEPS - 3, noWs).getFirst();

            INDArray params = lstm.params();
            INDArray analyticFlat = analytic.gradient().dup();
            assertMatchesCentralDifferences(params, analyticFlat, () -> segmentLoss(lstm, seg2, carried, r));

            lstm.rnnClearPreviousState();
            lstm.setInput(seg2, noWs);
            INDArray fromZeroState = lstm.backpropGradient(r, noWs).getFirst().gradient();
            assertNotEquals(analyticFlat, fromZeroState, "the carried state must change the segment gradient");
        }

        private double segmentLoss(FusedRecurrentLayer lstm, INDArray segment, Map<String, INDArray> carried, INDArray r) {
            lstm.rnnSetTBPTTState(carried);
            INDArray out = lstm.rnnActivateUsingStoredState(segment, false, false, LayerWorkspaceMgr.noWorkspaces());
            return out.mul(r).sumNumber().doubleValue();
        }

        @Test
        void fitWithTruncatedBpttLowersTheLoss() {
            MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).seed(3)
                    .updater(new Adam(0.02)).list()
                    .layer(new FusedRecurrent.Builder(Cell.LSTM).nIn(IN).nOut(HIDDEN).build())
                    .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX)
                            .nIn(HIDDEN).nOut(CLASSES).build())
                    .backpropType(BackpropType.TruncatedBPTT).tBPTTForwardLength(3).tBPTTBackwardLength(3)
                    .build();
            MultiLayerNetwork net = network(conf);
            DataSet data = sequenceData(DataType.FLOAT, 9);
            double before = net.score(data);
            for (int i = 0; i < 30; i++) net.fit(data);
            assertTrue(net.score(data) < 0.8 * before, "loss " + before + " -> " + net.score(data));
        }
    }

    @Nested
    @DisplayName("training")
    class Training {
        @Test
        void workspacesDoNotChangeTrainingOrInference() {
            MultiLayerNetwork withWs = network(twoLayerConf(DataType.FLOAT, WorkspaceMode.ENABLED));
            MultiLayerNetwork noWs = network(twoLayerConf(DataType.FLOAT, WorkspaceMode.NONE));
            DataSet data = sequenceData(DataType.FLOAT, 10);
            INDArray mask = Nd4j.ones(DataType.FLOAT, BATCH, STEPS);
            mask.get(point(2), interval(2, STEPS)).assign(0);
            data.setFeaturesMaskArray(mask);
            data.setLabelsMaskArray(mask);
            for (int i = 0; i < 3; i++) {
                withWs.fit(data);
                noWs.fit(data);
            }
            assertEquals(noWs.params(), withWs.params());
            assertEquals(noWs.output(data.getFeatures()), withWs.output(data.getFeatures()));
        }

        @Test
        void floatNetworkAgreesWithDoubleNetwork() {
            MultiLayerNetwork doubles = network(twoLayerConf(DataType.DOUBLE, WorkspaceMode.ENABLED));
            MultiLayerNetwork floats = network(twoLayerConf(DataType.FLOAT, WorkspaceMode.ENABLED));
            floats.setParams(doubles.params().castTo(DataType.FLOAT));
            INDArray x = input(DataType.DOUBLE, 11);
            assertAllClose(doubles.output(x), floats.output(x.castTo(DataType.FLOAT)), 1e-5, "float vs double");
        }

        @Test
        void bidirectionalLstmLearnsARepeatedBatch() {
            MultiLayerNetwork net = network(new NeuralNetConfiguration.Builder().seed(5).updater(new Adam(0.02))
                    .list()
                    .layer(new Bidirectional(new FusedRecurrent.Builder(Cell.LSTM).nIn(IN).nOut(HIDDEN).build()))
                    .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX)
                            .nIn(2 * HIDDEN).nOut(CLASSES).build())
                    .setInputType(InputType.recurrent(IN))
                    .build());
            DataSet data = sequenceData(DataType.FLOAT, 12);
            double before = net.score(data);
            for (int i = 0; i < 30; i++) net.fit(data);
            assertTrue(net.score(data) < 0.8 * before, "loss " + before + " -> " + net.score(data));
        }

        @Test
        void inputDropoutActsOnlyInTraining() {
            MultiLayerNetwork net = network(new NeuralNetConfiguration.Builder().seed(6).list()
                    .layer(new FusedRecurrent.Builder(Cell.LSTM).nIn(IN).nOut(HIDDEN).dropOut(0.5).build())
                    .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX)
                            .nIn(HIDDEN).nOut(CLASSES).build())
                    .build());
            INDArray x = input(DataType.FLOAT, 13);
            assertEquals(net.output(x, false), net.output(x, false));
            assertNotEquals(net.output(x, false), net.output(x, true));
            net.fit(sequenceData(DataType.FLOAT, 13));
            assertFalse(net.params().isNaN().any(), "parameters after a fit with dropout");
        }
    }
}
