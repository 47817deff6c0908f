package io.recur.train;

import io.recur.config.Cell;
import io.recur.config.ModelSpec;
import io.recur.config.UpdaterKind;
import io.recur.model.NetworkFactory;
import io.recur.model.NetworkShape;
import io.recur.model.OutputHead;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

@DisplayName("RoundLoss")
class RoundLossTest {

    /** A language-model minibatch of 4 sequences, {@code steps} long, the last {@code masked} steps padding. */
    private static DataSet minibatch(int steps, int masked, long seed) {
        Random random = new Random(seed);
        INDArray features = Nd4j.zeros(DataType.FLOAT, 4, 1, steps);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 4, 1, steps);
        INDArray mask = Nd4j.ones(DataType.FLOAT, 4, steps);
        for (int i = 0; i < 4; i++)
            for (int t = 0; t < steps; t++) {
                features.putScalar(new long[]{i, 0, t}, 4 + random.nextInt(12));
                labels.putScalar(new long[]{i, 0, t}, 4 + random.nextInt(12));
                if (t >= steps - masked) mask.putScalar(i, t, 0);
            }
        return new DataSet(features, labels, mask, mask.dup());
    }

    @Test
    void reportsTheRoundsLossPerPredictionOverEveryMinibatchNotTheLastOnesPerSequenceScore() {
        MultiLayerNetwork net = NetworkFactory.create(
                new ModelSpec(Cell.LSTM, 1, 16, 8, false, 0.0, 0.0, 1.0, UpdaterKind.ADAM, 0.01),
                new NetworkShape(OutputHead.CLASS_PER_STEP, 16, 16), 1);
        DataSet long1 = minibatch(40, 0, 1), long2 = minibatch(30, 5, 2), short1 = minibatch(3, 1, 3);
        RoundLoss hook = new RoundLoss();
        double lossSum = 0;
        for (DataSet b : new DataSet[]{long1, long2, short1}) {
            net.fit(b);
            lossSum += net.score() * b.numExamples();   // DL4J's score: summed over the steps, per example
            hook.postUpdate(b, net);
        }
        double predictions = 4 * 40 + 4 * 25 + 4 * 2;
        assertEquals(lossSum / predictions, net.score(), 1e-9);
    }
}
