package io.recur.model;

import io.recur.config.Cell;
import io.recur.testing.LocalSpark;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * A {@link Gru} network trained with Spark parameter averaging (local[2], two workers) learns a
 * task that needs memory and position: does a sequence hold the marker symbol in its first half?
 * Markers in the second half are distractors, so neither the last input nor "any marker" answers it.
 */
@Tag("spark")
@DisplayName("Gru trained with Spark parameter averaging")
class GruSparkTrainingTest {

    private static final int SYMBOLS = 6;
    private static final int MARKER = 0;
    private static final int STEPS = 12;
    private static final int HIDDEN = 16;

    private static JavaSparkContext spark;

    @BeforeAll
    static void startSpark() {
        spark = LocalSpark.start(GruSparkTrainingTest.class);
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    /** One example: one-hot [1, SYMBOLS, STEPS], label [1, 2] (index 1 = marker in first half). */
    private static DataSet example(Random random) {
        INDArray features = Nd4j.zeros(DataType.FLOAT, 1, SYMBOLS, STEPS);
        boolean early = random.nextBoolean();
        boolean late = random.nextBoolean();
        int earlyAt = random.nextInt(STEPS / 2);
        int lateAt = STEPS / 2 + random.nextInt(STEPS / 2);
        for (int t = 0; t < STEPS; t++) {
            int symbol = 1 + random.nextInt(SYMBOLS - 1);
            if ((early && t == earlyAt) || (late && t == lateAt)) symbol = MARKER;
            features.putScalar(new int[] {0, symbol, t}, 1f);
        }
        INDArray label = Nd4j.zeros(DataType.FLOAT, 1, 2);
        label.putScalar(0, early ? 1 : 0, 1f);
        return new DataSet(features, label);
    }

    private static List<DataSet> examples(long seed, int count) {
        Random random = new Random(seed);
        List<DataSet> list = new ArrayList<>();
        for (int i = 0; i < count; i++) list.add(example(random));
        return list;
    }

    @Test
    void reachesHeldOutAccuracyWellAboveTheMajorityBaseline() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .seed(17)
                .updater(new Adam(0.02))
                .list()
                .layer(new LastTimeStep(new FusedRecurrent.Builder(Cell.GRU).nIn(SYMBOLS).nOut(HIDDEN).build()))
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nIn(HIDDEN).nOut(2).build())
                .build());
        net.init();
        ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(1)
                .batchSizePerWorker(32)
                .averagingFrequency(3)
                .workerPrefetchNumBatches(0)
                .collectTrainingStats(false)
                .rngSeed(17)
                .build();
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(spark, net, master);
        JavaRDD<DataSet> train = spark.parallelize(examples(1, 1024), 2).cache();

        for (int epoch = 0; epoch < 6; epoch++) {
            sparkNet.fit(train);
        }

        DataSet heldOut = DataSet.merge(examples(2, 400));
        INDArray predicted = sparkNet.getNetwork().output(heldOut.getFeatures()).argMax(1);
        INDArray actual = heldOut.getLabels().argMax(1);
        long n = actual.length();
        double accuracy = predicted.eq(actual).castTo(DataType.FLOAT).sumNumber().doubleValue() / n;
        double positives = actual.sumNumber().doubleValue() / n;
        double majorityBaseline = Math.max(positives, 1 - positives);
        assertTrue(accuracy >= majorityBaseline + 0.25,
                "held-out accuracy " + accuracy + " vs majority baseline " + majorityBaseline);
    }
}
