package io.recur.model;

import io.recur.config.Cell;
import static io.recur.model.NetworkFixture.CLASSES;
import static io.recur.model.NetworkFixture.HIDDEN;
import static io.recur.model.NetworkFixture.IN;
import static io.recur.model.NetworkFixture.network;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * What only the LSTM does; what every cell does inside a network is {@link CellContractTest}'s.
 */
@DisplayName("Lstm in a MultiLayerNetwork")
class LstmNetworkTest {
    @Test
    void startsTheForgetGateBiasAtOneAndTheOtherBiasesAtZero() {
        INDArray b = network(new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).seed(42).list()
                .layer(new FusedRecurrent.Builder(Cell.LSTM).nIn(IN).nOut(HIDDEN).build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nIn(HIDDEN).nOut(CLASSES).build())
                .build()).getLayer(0).getParam("b");
        for (int block = 0; block < 4; block++) {
            double expected = block == 1 ? 1.0 : 0.0;
            INDArray values = b.get(point(0), interval(block * HIDDEN, (block + 1) * HIDDEN));
            assertEquals(expected, values.minNumber().doubleValue(), "block " + block);
            assertEquals(expected, values.maxNumber().doubleValue(), "block " + block);
        }
    }
}
