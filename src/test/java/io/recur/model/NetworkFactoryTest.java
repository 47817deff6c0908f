package io.recur.model;

import io.recur.config.Cell;
import io.recur.config.ModelSpec;
import io.recur.config.Task;
import io.recur.config.UpdaterKind;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("NetworkFactory")
class NetworkFactoryTest {
    private static ModelSpec spec(Cell cell, int embedding, boolean bidirectional) {
        return new ModelSpec(cell, 2, 16, embedding, bidirectional, 0.0, 0.0, 1.0, UpdaterKind.ADAM, 0.01);
    }

    /** Two sequences of lengths 5 and 3 over a vocabulary of 10 ids, padded to 5 steps. */
    private static DataSet batch(Task task, boolean oneHot) {
        int[][] ids = {{4, 5, 6, 7, 8}, {9, 4, 5}};
        INDArray features = oneHot ? Nd4j.zeros(DataType.FLOAT, 2, 10, 5) : Nd4j.zeros(DataType.FLOAT, 2, 1, 5);
        INDArray mask = Nd4j.zeros(DataType.FLOAT, 2, 5);
        INDArray labels = task == Task.CLASSIFY ? Nd4j.zeros(DataType.FLOAT, 2, 2) : Nd4j.zeros(DataType.FLOAT, 2, 1, 5);
        for (int i = 0; i < 2; i++) {
            for (int t = 0; t < ids[i].length; t++) {
                if (oneHot) features.putScalar(new long[]{i, ids[i][t], t}, 1);
                else features.putScalar(new long[]{i, 0, t}, ids[i][t]);
                mask.putScalar(new long[]{i, t}, 1);
                if (task == Task.LM) labels.putScalar(new long[]{i, 0, t}, (ids[i][t] + 1) % 10);
            }
            if (task == Task.CLASSIFY) labels.putScalar(new long[]{i, i}, 1);
        }
        return new DataSet(features, labels, mask, task == Task.LM ? mask.dup() : null);
    }

    private static double lossAfter(MultiLayerNetwork net, DataSet data, int steps) {
        for (int i = 0; i < steps; i++) net.fit(data);
        return net.score(data);
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void classifierWithEmbeddingLearnsATinyBatch(Cell cell) {
        DataSet data = batch(Task.CLASSIFY, false);
        MultiLayerNetwork net = NetworkFactory.create(spec(cell, 8, false), new NetworkShape(OutputHead.CLASS_AT_LAST_STEP, 10, 2), 1);
        double before = net.score(data);
        assertTrue(lossAfter(net, data, 30) < before / 2, "loss should halve on a batch it fits repeatedly");
        assertArrayEquals(new long[]{2, 2}, net.output(data.getFeatures(), false, data.getFeaturesMaskArray(), null).shape());
    }

    @Test
    void bidirectionalClassifierOnOneHotInputLearnsATinyBatch() {
        DataSet data = batch(Task.CLASSIFY, true);
        MultiLayerNetwork net = NetworkFactory.create(spec(Cell.LSTM, 0, true), new NetworkShape(OutputHead.CLASS_AT_LAST_STEP, 10, 2), 1);
        double before = net.score(data);
        assertTrue(lossAfter(net, data, 30) < before / 2);
    }

    @Test
    void bidirectionalTaggerPredictsADistributionOverTheTagsAtEveryStep() {
        DataSet lm = batch(Task.LM, false);
        // Each token's tag is its id mod 3: a function of the token that a tagger can learn.
        INDArray tags = lm.getFeatures().dup();
        for (int i = 0; i < 2; i++)
            for (int t = 0; t < 5; t++) tags.putScalar(new long[]{i, 0, t}, tags.getInt(i, 0, t) % 3);
        DataSet data = new DataSet(lm.getFeatures(), tags, lm.getFeaturesMaskArray(), lm.getLabelsMaskArray());
        MultiLayerNetwork net = NetworkFactory.create(spec(Cell.LSTM, 8, true), new NetworkShape(OutputHead.CLASS_PER_STEP, 10, 3), 1);
        double before = net.score(data);
        assertTrue(lossAfter(net, data, 30) < before / 2);
        INDArray out = net.output(data.getFeatures(), false, data.getFeaturesMaskArray(), data.getLabelsMaskArray());
        assertArrayEquals(new long[]{2, 3, 5}, out.shape());
    }

    @Test
    void languageModelPredictsADistributionOverTheVocabularyAtEveryStep() {
        DataSet data = batch(Task.LM, false);
        MultiLayerNetwork net = NetworkFactory.create(spec(Cell.LSTM, 8, false), new NetworkShape(OutputHead.CLASS_PER_STEP, 10, 10), 1);
        double before = net.score(data);
        assertTrue(lossAfter(net, data, 30) < before / 2);
        INDArray out = net.output(data.getFeatures(), false, data.getFeaturesMaskArray(), data.getLabelsMaskArray());
        assertArrayEquals(new long[]{2, 10, 5}, out.shape());
        assertEquals(1.0, out.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(2)).sumNumber().doubleValue(), 1e-4);
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void bidirectionalClassifierWithDropoutFitsBatchesOfDifferentLengths(Cell cell) {
        ModelSpec withDropout = new ModelSpec(cell, 1, 16, 8, true, 0.3, 0.0, 1.0, UpdaterKind.ADAM, 0.01);
        MultiLayerNetwork net = NetworkFactory.create(withDropout, new NetworkShape(OutputHead.CLASS_AT_LAST_STEP, 10, 2), 1);
        DataSet five = batch(Task.CLASSIFY, false);
        DataSet three = new DataSet(five.getFeatures().get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 3)).dup(),
                five.getLabels(), Nd4j.ones(DataType.FLOAT, 2, 3), null);
        net.fit(new org.deeplearning4j.datasets.iterator.ExistingDataSetIterator(List.of(five, three, five, three)));
        assertTrue(Double.isFinite(net.score(three)));
    }

    @Test
    void copiesOfTheConfigurationShareNoDropoutStateAsSparkWorkerThreadsWould() {
        ModelSpec withDropout = new ModelSpec(Cell.LSTM, 2, 16, 8, true, 0.3, 0.0, 1.0, UpdaterKind.ADAM, 0.01);
        var conf = NetworkFactory.configure(withDropout, new NetworkShape(OutputHead.CLASS_AT_LAST_STEP, 10, 2), 1);
        var copy = conf.clone();
        var original = dropouts(conf);
        assertFalse(original.isEmpty());
        for (Object d : dropouts(copy))
            assertTrue(original.stream().noneMatch(o -> o == d), "dropout state shared between copies: " + d);
    }

    private static List<Object> dropouts(org.deeplearning4j.nn.conf.MultiLayerConfiguration conf) {
        List<Object> out = new java.util.ArrayList<>();
        for (var c : conf.getConfs()) collectDropouts(c.getLayer(), out);
        return out;
    }

    private static void collectDropouts(org.deeplearning4j.nn.conf.layers.Layer layer, List<Object> out) {
        if (layer instanceof org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional b) {
            collectDropouts(b.getFwd(), out);
            collectDropouts(b.getBwd(), out);
        } else if (layer instanceof org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer w) {
            collectDropouts(w.getUnderlying(), out);
        } else if (layer.getIDropout() != null) {
            out.add(layer.getIDropout());
        }
    }

    @Test
    void configurationWithDropoutSurvivesAJsonRoundTrip() {
        ModelSpec withDropout = new ModelSpec(Cell.LSTM, 2, 16, 8, true, 0.3, 0.0, 1.0, UpdaterKind.ADAM, 0.01);
        var conf = NetworkFactory.configure(withDropout, new NetworkShape(OutputHead.CLASS_AT_LAST_STEP, 10, 2), 1);
        assertEquals(conf, org.deeplearning4j.nn.conf.MultiLayerConfiguration.fromJson(conf.toJson()));
    }

    @Test
    void sameSeedGivesSameInitialParameters() {
        var shape = new NetworkShape(OutputHead.CLASS_AT_LAST_STEP, 10, 2);
        assertEquals(NetworkFactory.create(spec(Cell.LSTM, 8, false), shape, 7).params(),
                NetworkFactory.create(spec(Cell.LSTM, 8, false), shape, 7).params());
    }

    @Test
    void lstmCellBuildsRecursOwnLayerWithFourGateBlocksOfParameters() {
        ModelSpec lstm = spec(Cell.LSTM, 8, false);
        NetworkShape shape = new NetworkShape(OutputHead.CLASS_PER_STEP, 10, 10);
        MultiLayerNetwork net = NetworkFactory.create(lstm, shape, 1);
        assertEquals(Cell.LSTM, assertInstanceOf(FusedRecurrent.class, net.getLayerWiseConfigurations().getConf(1).getLayer()).getCell());
        assertEquals(4L * (8 * 16 + 16 * 16 + 16), net.getLayer(1).numParams());
        assertEquals(4L * (16 * 16 + 16 * 16 + 16), net.getLayer(2).numParams());
        assertEquals(net.numParams(), NetworkFactory.parameterCount(lstm, shape));
    }

    @Test
    void rnnCellBuildsRecursOwnLayerWithSimpleRnnsParameterCount() {
        ModelSpec rnn = spec(Cell.RNN, 8, false);
        NetworkShape shape = new NetworkShape(OutputHead.CLASS_PER_STEP, 10, 10);
        MultiLayerNetwork net = NetworkFactory.create(rnn, shape, 1);
        assertEquals(Cell.RNN, assertInstanceOf(FusedRecurrent.class, net.getLayerWiseConfigurations().getConf(1).getLayer()).getCell());
        assertEquals(8 * 16 + 16 * 16 + 16, net.getLayer(1).numParams());
        assertEquals(16 * 16 + 16 * 16 + 16, net.getLayer(2).numParams());
        assertEquals(net.numParams(), NetworkFactory.parameterCount(rnn, shape));
    }

    /** The network NetworkFactory built for {@code spec} before recur had its own LSTM layer. */
    private static MultiLayerNetwork networkWithDl4jLstm(ModelSpec spec, NetworkShape shape) {
        MultiLayerConfiguration conf = NetworkFactory.configure(spec, shape, 1);
        for (int i = 0; i < conf.getConfs().size(); i++) {
            conf.getConf(i).setLayer(withDl4jLstm(conf.getConf(i).getLayer()));
        }
        MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(conf.toJson()));
        net.init();
        return net;
    }

    private static org.deeplearning4j.nn.conf.layers.Layer withDl4jLstm(org.deeplearning4j.nn.conf.layers.Layer layer) {
        if (layer instanceof LastTimeStep last) return new LastTimeStep(withDl4jLstm(last.getUnderlying()));
        if (layer instanceof Bidirectional bi) return new Bidirectional(bi.getMode(), withDl4jLstm(bi.getFwd()));
        if (!(layer instanceof FusedRecurrent ours && ours.getCell() == Cell.LSTM)) return layer;
        LSTM dl4j = new LSTM.Builder().nIn(ours.getNIn()).nOut(ours.getNOut())
                .activation(org.nd4j.linalg.activations.Activation.TANH)
                .gateActivationFunction(org.nd4j.linalg.activations.Activation.SIGMOID).build();
        dl4j.setIUpdater(ours.getIUpdater());
        dl4j.setBiasUpdater(ours.getBiasUpdater());
        dl4j.setWeightInitFn(ours.getWeightInitFn());
        dl4j.setRegularization(ours.getRegularization());
        dl4j.setRegularizationBias(ours.getRegularizationBias());
        dl4j.setGradientNormalization(ours.getGradientNormalization());
        dl4j.setGradientNormalizationThreshold(ours.getGradientNormalizationThreshold());
        return dl4j;
    }

    @Test
    void modelSavedWithDl4jsLstmStillLoadsAndPredictsTheSame(@TempDir Path dir) throws IOException {
        MultiLayerNetwork old = networkWithDl4jLstm(spec(Cell.LSTM, 8, false), new NetworkShape(OutputHead.CLASS_AT_LAST_STEP, 10, 2));
        DataSet data = batch(Task.CLASSIFY, false);
        old.fit(data);
        File file = dir.resolve("dl4j-lstm-model.zip").toFile();
        ModelSerializer.writeModel(old, file, true);

        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertTrue(restored.getLayerWiseConfigurations().toJson().contains(LSTM.class.getName()),
                "the restored model must still run DL4J's LSTM");
        INDArray expected = old.output(data.getFeatures(), false, data.getFeaturesMaskArray(), null);
        assertEquals(expected, restored.output(data.getFeatures(), false, data.getFeaturesMaskArray(), null));
    }

    @Test
    void warmStartFromADl4jLstmModelReordersItsGatesAndUpdaterState() {
        ModelSpec spec = spec(Cell.LSTM, 8, true);
        NetworkShape shape = new NetworkShape(OutputHead.CLASS_AT_LAST_STEP, 10, 2);
        MultiLayerNetwork old = networkWithDl4jLstm(spec, shape);
        // Unpadded: over padding DL4J's LSTM kept computing while recur's carries the state, which
        // changes the backward direction of a Bidirectional layer.
        DataSet padded = batch(Task.CLASSIFY, false);
        DataSet data = new DataSet(padded.getFeatures(), padded.getLabels());
        for (int i = 0; i < 3; i++) old.fit(data);
        MultiLayerNetwork migrated = NetworkFactory.create(spec, shape, 2);

        assertTrue(LegacyLstmParameters.copy(old, migrated));
        migrated.getLayerWiseConfigurations().setIterationCount(old.getLayerWiseConfigurations().getIterationCount());
        INDArray features = data.getFeatures();
        INDArray mask = data.getFeaturesMaskArray();
        assertTrue(old.output(features, false, mask, null).equalsWithEps(migrated.output(features, false, mask, null), 1e-5),
                "the converted network must compute the same function");
        // One more Adam step on each: equal only if the moments moved with their parameters.
        old.fit(data);
        migrated.fit(data);
        assertTrue(old.output(features, false, mask, null).equalsWithEps(migrated.output(features, false, mask, null), 1e-4),
                "after one more step: " + old.output(features, false, mask, null) + " vs " + migrated.output(features, false, mask, null));
    }
}
