package io.recur.model;

import io.recur.config.Cell;
import static io.recur.model.NetworkFixture.CLASSES;
import static io.recur.model.NetworkFixture.HIDDEN;
import static io.recur.model.NetworkFixture.IN;
import static io.recur.model.NetworkFixture.assertAllClose;
import static io.recur.model.NetworkFixture.input;
import static io.recur.model.NetworkFixture.network;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * What only the vanilla RNN promises: DL4J's SimpleRnn's parameter layout and function, so models
 * saved with it load into recur's layer. What every cell does inside a network is
 * {@link CellContractTest}'s.
 */
@DisplayName("Rnn in a MultiLayerNetwork")
class RnnNetworkTest {

    private static MultiLayerConfiguration twoLayerConf(DataType dataType) {
        return new NeuralNetConfiguration.Builder()
                .dataType(dataType)
                .seed(42)
                .updater(new Adam(0.01))
                .list()
                .layer(new FusedRecurrent.Builder(Cell.RNN).nIn(IN).nOut(HIDDEN).build())
                .layer(new FusedRecurrent.Builder(Cell.RNN).nIn(HIDDEN).nOut(HIDDEN).build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nIn(HIDDEN).nOut(CLASSES).build())
                .build();
    }

    /** The network of {@link #twoLayerConf} with DL4J's SimpleRnn, as recur built it before it had its own. */
    private static MultiLayerConfiguration simpleRnnConf(DataType dataType) {
        return new NeuralNetConfiguration.Builder()
                .dataType(dataType)
                .seed(42)
                .updater(new Adam(0.01))
                .list()
                .layer(new SimpleRnn.Builder().nIn(IN).nOut(HIDDEN).activation(Activation.TANH).build())
                .layer(new SimpleRnn.Builder().nIn(HIDDEN).nOut(HIDDEN).activation(Activation.TANH).build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nIn(HIDDEN).nOut(CLASSES).build())
                .build();
    }

    @Test
    void laysOutParametersExactlyAsDl4jsSimpleRnn() {
        MultiLayerNetwork ours = network(twoLayerConf(DataType.FLOAT));
        MultiLayerNetwork dl4j = network(simpleRnnConf(DataType.FLOAT));
        assertEquals(dl4j.numParams(), ours.numParams());
        for (int layer = 0; layer < 2; layer++) {
            Map<String, INDArray> expected = dl4j.getLayer(layer).paramTable();
            Map<String, INDArray> actual = ours.getLayer(layer).paramTable();
            assertEquals(List.of("W", "RW", "b"), List.copyOf(actual.keySet()));
            assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()));
            for (String key : actual.keySet()) {
                assertArrayEquals(expected.get(key).shape(), actual.get(key).shape(), key);
                assertEquals(expected.get(key).ordering(), actual.get(key).ordering(), key);
                assertEquals(expected.get(key).offset() - dl4j.getLayer(layer).params().offset(),
                        actual.get(key).offset() - ours.getLayer(layer).params().offset(), key + " offset in the flat vector");
            }
        }
    }

    @Test
    void computesSimpleRnnsFunctionWithItsParameters() {
        MultiLayerNetwork dl4j = network(simpleRnnConf(DataType.DOUBLE));
        MultiLayerNetwork ours = network(twoLayerConf(DataType.DOUBLE));
        ours.setParams(dl4j.params());
        INDArray x = input(DataType.DOUBLE, 21);
        assertAllClose(dl4j.output(x), ours.output(x), 1e-12, "same parameters, same output");
    }
}
