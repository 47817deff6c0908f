package io.recur.model;

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
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.recur.config.Cell;
import org.deeplearning4j.nn.api.layers.RecurrentLayer;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.constraint.MaxNormConstraint;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.memory.MemoryUseMode;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * What every cell of {@link Cell#values()} must do inside {@link FusedRecurrentLayer}, so that a
 * new cell is held to it with no new test code: configuration, shapes and parameter layout, masks,
 * stored state for {@code rnnTimeStep}, truncated BPTT, persistence, precision, workspaces,
 * constraints, dropout and training inside a bidirectional wrapper.
 */
@DisplayName("Every cell in a MultiLayerNetwork")
class CellContractTest {
    private static final LayerWorkspaceMgr NO_WS = LayerWorkspaceMgr.noWorkspaces();

    private static MultiLayerConfiguration twoLayerConf(Cell cell, DataType dataType) {
        return twoLayerConf(cell, dataType, WorkspaceMode.ENABLED);
    }

    private static MultiLayerConfiguration twoLayerConf(Cell cell, DataType dataType, WorkspaceMode workspaceMode) {
        return new NeuralNetConfiguration.Builder().dataType(dataType).seed(42).updater(new Adam(0.01))
                .trainingWorkspaceMode(workspaceMode).inferenceWorkspaceMode(workspaceMode).list()
                .layer(new FusedRecurrent.Builder(cell).nIn(IN).nOut(HIDDEN).build())
                .layer(new FusedRecurrent.Builder(cell).nIn(HIDDEN).nOut(HIDDEN).build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nIn(HIDDEN).nOut(CLASSES).build())
                .build();
    }

    private static FusedRecurrentLayer singleLayer(Cell cell) {
        MultiLayerNetwork net = network(new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(7)
                .list().layer(new FusedRecurrent.Builder(cell).nIn(IN).nOut(HIDDEN).build()).build());
        net.initGradientsView();
        return (FusedRecurrentLayer) net.getLayer(0);
    }

    private static Map<String, INDArray> copy(Map<String, INDArray> state) {
        Map<String, INDArray> copy = new HashMap<>();
        state.forEach((k, v) -> copy.put(k, v.dup()));
        return copy;
    }

    /** Gate blocks of W and RW, bias blocks and carried states, as a cell's equations need them. */
    private record Layout(int gateBlocks, int biasBlocks, int states) {}

    /**
     * Stated here rather than read from {@link CellMath}, so a wrong layout there fails. No
     * {@code default}: a new cell does not compile until it states its own.
     */
    private static Layout layout(Cell cell) {
        return switch (cell) {
            case RNN -> new Layout(1, 1, 1);
            case LSTM -> new Layout(4, 4, 2);
            // Reset after: the candidate's recurrent term r ⊙ (RW·h + b) has a bias of its own, a fourth block.
            case GRU -> new Layout(3, 4, 1);
            case MGU -> new Layout(2, 2, 1);
        };
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Cell.class)
    void hasTheGateBlocksBiasesAndStatesOfItsEquations(Cell cell) {
        CellMath math = CellMath.of(cell);
        Layout expected = layout(cell);
        assertEquals(expected.gateBlocks(), math.blocks());
        assertEquals(expected.biasBlocks() * (long) HIDDEN, math.biasLength(HIDDEN));
        assertEquals(expected.states(), math.states());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Cell.class)
    void builderDefaultsToTanh(Cell cell) {
        assertInstanceOf(ActivationTanH.class, new FusedRecurrent.Builder(cell).nIn(IN).nOut(HIDDEN).build().getActivationFn());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Cell.class)
    void rejectsAnActivationOtherThanTanh(Cell cell) {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new FusedRecurrent.Builder(cell).nIn(IN).nOut(HIDDEN).activation(Activation.RELU).build());
        assertTrue(e.getMessage().contains("tanh") && e.getMessage().contains(cell.name()), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Cell.class)
    void appliesSeparateRecurrentWeightInit(Cell cell) {
        MultiLayerNetwork net = network(new NeuralNetConfiguration.Builder().list()
                .layer(new FusedRecurrent.Builder(cell).nIn(IN).nOut(HIDDEN).weightInit(WeightInit.ONES)
                        .weightInitRecurrent(WeightInit.ZERO).build())
                .build());
        assertEquals(1.0, net.getLayer(0).getParam("W").minNumber().doubleValue());
        assertEquals(0.0, net.getLayer(0).getParam("RW").amaxNumber().doubleValue());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Cell.class)
    void reportsMemoryGrowingWithSequenceLength(Cell cell) {
        MultiLayerConfiguration conf = twoLayerConf(cell, DataType.FLOAT);
        long shortRun = conf.getMemoryReport(InputType.recurrent(IN, 10))
                .getTotalMemoryBytes(BATCH, MemoryUseMode.TRAINING, CacheMode.NONE, DataType.FLOAT);
        long longRun = conf.getMemoryReport(InputType.recurrent(IN, 100))
                .getTotalMemoryBytes(BATCH, MemoryUseMode.TRAINING, CacheMode.NONE, DataType.FLOAT);
        assertTrue(shortRun > 0 && longRun > shortRun, "memory " + shortRun + " -> " + longRun);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Cell.class)
    void outputsMinibatchByUnitsBySteps(Cell cell) {
        FusedRecurrentLayer layer = singleLayer(cell);
        assertArrayEquals(new long[] {BATCH, HIDDEN, STEPS}, layer.activate(input(DataType.DOUBLE, 1), false, NO_WS).shape());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Cell.class)
    void laysOutParametersAsTheCellsGateBlocks(Cell cell) {
        FusedRecurrentLayer layer = singleLayer(cell);
        CellMath math = CellMath.of(cell);
        Map<String, INDArray> params = layer.paramTable();
        assertEquals(List.of("W", "RW", "b"), List.copyOf(params.keySet()));
        assertArrayEquals(new long[] {IN, math.blocks() * HIDDEN}, params.get("W").shape());
        assertArrayEquals(new long[] {HIDDEN, math.blocks() * HIDDEN}, params.get("RW").shape());
        assertArrayEquals(new long[] {1, math.biasLength(HIDDEN)}, params.get("b").shape());
        assertEquals(math.blocks() * ((long) IN * HIDDEN + (long) HIDDEN * HIDDEN) + math.biasLength(HIDDEN),
                layer.numParams());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Cell.class)
    void maskedStepsOutputZeroAndKeepEveryState(Cell cell) {
        RecurrentLayer layer = singleLayer(cell);
        INDArray x = input(DataType.DOUBLE, 5);
        INDArray mask = Nd4j.ones(DataType.DOUBLE, BATCH, STEPS);
        mask.get(point(1), interval(4, STEPS)).assign(0);

        layer.setMaskArray(mask);
        INDArray maskedOut = layer.rnnTimeStep(x, NO_WS).dup();
        Map<String, INDArray> paddedState = copy(layer.rnnGetPreviousState());
        INDArray activated = layer.activate(x, false, NO_WS).dup();
        layer.rnnClearPreviousState();
        layer.setMaskArray(null);
        INDArray prefixOut = layer.rnnTimeStep(x.get(interval(1, 2), all(), interval(0, 4)).dup(), NO_WS);
        Map<String, INDArray> prefixState = layer.rnnGetPreviousState();

        assertEquals(0.0, maskedOut.get(point(1), all(), interval(4, STEPS)).amaxNumber().doubleValue());
        assertAllClose(prefixOut.get(point(0), all(), all()), maskedOut.get(point(1), all(), interval(0, 4)),
                1e-12, "real steps of the padded example");
        assertEquals(0.0, activated.get(point(1), all(), interval(4, STEPS)).amaxNumber().doubleValue());
        assertAllClose(prefixOut.get(point(0), all(), all()), activated.get(point(1), all(), interval(0, 4)),
                1e-12, "real steps of the padded example, activated without stored state");
        assertEquals(CellMath.of(cell).states(), paddedState.size());
        for (String key : paddedState.keySet()) {
            assertAllClose(prefixState.get(key).get(point(0), all()), paddedState.get(key).get(point(1), all()),
                    1e-12, key + " after the last real step");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Cell.class)
    void stepByStepOutputEqualsFullSequenceOutput(Cell cell) {
        MultiLayerNetwork net = network(twoLayerConf(cell, DataType.DOUBLE));
        INDArray x = input(DataType.DOUBLE, 3);
        INDArray full = net.output(x);
        net.rnnClearPreviousState();
        for (int t = 0; t < STEPS; t++) {
            INDArray step = net.rnnTimeStep(x.get(all(), all(), point(t)));
            assertAllClose(full.get(all(), all(), point(t)), step, 1e-12, "step " + t);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Cell.class)
    void savedAndRestoredStateContinuesTheSequence(Cell cell) {
        MultiLayerNetwork net = network(twoLayerConf(cell, DataType.DOUBLE));
        INDArray x = input(DataType.DOUBLE, 4);
        INDArray full = net.output(x);
        net.rnnClearPreviousState();
        net.rnnTimeStep(x.get(all(), all(), interval(0, 3)));
        Map<String, INDArray> saved0 = copy(net.rnnGetPreviousState(0));
        Map<String, INDArray> saved1 = copy(net.rnnGetPreviousState(1));
        MultiLayerNetwork other = network(twoLayerConf(cell, DataType.DOUBLE));
        other.setParams(net.params());
        other.rnnSetPreviousState(0, saved0);
        other.rnnSetPreviousState(1, saved1);
        INDArray rest = other.rnnTimeStep(x.get(all(), all(), interval(3, STEPS)));
        assertAllClose(full.get(all(), all(), interval(3, STEPS)), rest, 1e-12, "steps 3..6");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Cell.class)
    void truncatedBpttSegmentsWithCarriedStateReproduceTheFullSequence(Cell cell) {
        FusedRecurrentLayer layer = singleLayer(cell);
        INDArray x = input(DataType.DOUBLE, 6);
        INDArray full = layer.activate(x, false, NO_WS).dup();
        layer.rnnClearPreviousState();
        INDArray first = layer.rnnActivateUsingStoredState(x.get(all(), all(), interval(0, 3)).dup(), true, true, NO_WS).dup();
        INDArray second = layer.rnnActivateUsingStoredState(x.get(all(), all(), interval(3, STEPS)).dup(), true, true, NO_WS);
        assertAllClose(full.get(all(), all(), interval(0, 3)), first, 1e-12, "segment 1");
        assertAllClose(full.get(all(), all(), interval(3, STEPS)), second, 1e-12, "segment 2");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Cell.class)
    void truncatedBpttSegmentGradientTreatsTheCarriedStateAsInput(Cell cell) {
        FusedRecurrentLayer layer = singleLayer(cell);
        INDArray x = input(DataType.DOUBLE, 7);
        INDArray seg1 = x.get(all(), all(), interval(0, 3)).dup();
        INDArray seg2 = x.get(all(), all(), interval(3, STEPS)).dup();
        Nd4j.getRandom().setSeed(8);
        INDArray r = Nd4j.rand(DataType.DOUBLE, BATCH, HIDDEN, STEPS - 3).subi(0.5);

        layer.rnnClearPreviousState();
        layer.rnnActivateUsingStoredState(seg1, true, true, NO_WS);
        Map<String, INDArray> carried = copy(layer.rnnGetTBPTTState());
        layer.rnnActivateUsingStoredState(seg2, true, true, NO_WS);
        Gradient analytic = layer.tbpttBackpropGradient(r, STEPS - 3, NO_WS).getFirst();
        INDArray analyticFlat = analytic.gradient().dup();
        assertMatchesCentralDifferences(layer.params(), analyticFlat, () -> {
            layer.rnnSetTBPTTState(carried);
            return layer.rnnActivateUsingStoredState(seg2, false, false, NO_WS).mul(r).sumNumber().doubleValue();
        });

        layer.rnnClearPreviousState();
        layer.setInput(seg2, NO_WS);
        INDArray fromZeroState = layer.backpropGradient(r, NO_WS).getFirst().gradient();
        assertNotEquals(analyticFlat, fromZeroState, "the carried state must change the segment gradient");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Cell.class)
    void fitWithTruncatedBpttLowersTheLoss(Cell cell) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).seed(3)
                .updater(new Adam(0.02)).list()
                .layer(new FusedRecurrent.Builder(cell).nIn(IN).nOut(HIDDEN).build())
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

    @ParameterizedTest(name = "{0}")
    @EnumSource(Cell.class)
    void keepsEveryLayerSettingThroughJson(Cell cell) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new FusedRecurrent.Builder(cell).nIn(IN).nOut(HIDDEN).biasInit(0.25)
                        .l2(0.003).dropOut(0.8).weightInitRecurrent(WeightInit.ZERO).build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).nIn(HIDDEN).nOut(CLASSES).build())
                .build();
        MultiLayerConfiguration restored = MultiLayerConfiguration.fromJson(conf.toJson());
        assertEquals(conf, restored);
        assertEquals(cell, assertInstanceOf(FusedRecurrent.class, restored.getConf(0).getLayer()).getCell());
        assertEquals(conf.toJson(), restored.toJson());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Cell.class)
    void keepsTheCellThroughJson(Cell cell) {
        MultiLayerConfiguration conf = twoLayerConf(cell, DataType.FLOAT);
        MultiLayerConfiguration restored = MultiLayerConfiguration.fromJson(conf.toJson());
        assertEquals(conf, restored);
        assertEquals(cell, ((FusedRecurrent) restored.getConf(0).getLayer()).getCell());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Cell.class)
    void restoresFromModelSerializerWithIdenticalOutputsAndUpdaterState(Cell cell, @TempDir Path dir)
            throws IOException {
        MultiLayerNetwork net = network(twoLayerConf(cell, DataType.FLOAT));
        DataSet data = sequenceData(DataType.FLOAT, 11);
        for (int i = 0; i < 3; i++) net.fit(data);
        File file = dir.resolve("model.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertEquals(net.output(data.getFeatures()), restored.output(data.getFeatures()));
        assertEquals(net.params(), restored.params());
        assertEquals(net.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Cell.class)
    void floatGradientsOfMaskedDataMatchDouble(Cell cell) {
        INDArray mask = Nd4j.ones(DataType.DOUBLE, BATCH, STEPS);
        mask.get(point(2), interval(3, STEPS)).assign(0);
        assertFloatGradientsMatchDouble(type -> network(twoLayerConf(cell, type)), sequenceData(DataType.DOUBLE, 8),
                mask, 1e-5);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Cell.class)
    void floatNetworkAgreesWithDoubleNetwork(Cell cell) {
        MultiLayerNetwork doubles = network(twoLayerConf(cell, DataType.DOUBLE));
        MultiLayerNetwork floats = network(twoLayerConf(cell, DataType.FLOAT));
        floats.setParams(doubles.params().castTo(DataType.FLOAT));
        INDArray x = input(DataType.DOUBLE, 11);
        assertAllClose(doubles.output(x), floats.output(x.castTo(DataType.FLOAT)), 1e-5, "float vs double");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Cell.class)
    void workspacesDoNotChangeTrainingOrInference(Cell cell) {
        MultiLayerNetwork withWs = network(twoLayerConf(cell, DataType.FLOAT, WorkspaceMode.ENABLED));
        MultiLayerNetwork noWs = network(twoLayerConf(cell, DataType.FLOAT, WorkspaceMode.NONE));
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

    @ParameterizedTest(name = "{0}")
    @EnumSource(Cell.class)
    void bidirectionalLayerLearnsARepeatedBatch(Cell cell) {
        MultiLayerNetwork net = network(new NeuralNetConfiguration.Builder().seed(5).updater(new Adam(0.02))
                .list()
                .layer(new Bidirectional(new FusedRecurrent.Builder(cell).nIn(IN).nOut(HIDDEN).build()))
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nIn(2 * HIDDEN).nOut(CLASSES).build())
                .setInputType(InputType.recurrent(IN))
                .build());
        DataSet data = sequenceData(DataType.FLOAT, 12);
        double before = net.score(data);
        for (int i = 0; i < 30; i++) net.fit(data);
        assertTrue(net.score(data) < 0.8 * before, "loss " + before + " -> " + net.score(data));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Cell.class)
    void recurrentConstraintBoundsOnlyTheRecurrentWeights(Cell cell) {
        MultiLayerNetwork net = network(new NeuralNetConfiguration.Builder().seed(8).updater(new Adam(0.05))
                .weightInit(WeightInit.ONES).list()
                .layer(new FusedRecurrent.Builder(cell).nIn(IN).nOut(HIDDEN).constrainRecurrent(new MaxNormConstraint(0.5, 0))
                        .build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nIn(HIDDEN).nOut(CLASSES).build())
                .build());
        net.fit(sequenceData(DataType.FLOAT, 14));
        double recurrentMaxNorm = net.getLayer(0).getParam("RW").norm2(0).maxNumber().doubleValue();
        double inputMaxNorm = net.getLayer(0).getParam("W").norm2(0).maxNumber().doubleValue();
        assertTrue(recurrentMaxNorm <= 0.5 + 1e-5, "recurrent column norm " + recurrentMaxNorm);
        assertTrue(inputMaxNorm > 1, "input weights must stay unconstrained, max column norm " + inputMaxNorm);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Cell.class)
    void inputDropoutActsOnlyInTraining(Cell cell) {
        MultiLayerNetwork net = network(new NeuralNetConfiguration.Builder().seed(6).list()
                .layer(new FusedRecurrent.Builder(cell).nIn(IN).nOut(HIDDEN).dropOut(0.5).build())
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
