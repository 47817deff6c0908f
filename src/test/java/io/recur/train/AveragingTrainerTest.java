package io.recur.train;

import io.recur.config.AveragingSpec;
import io.recur.config.Cell;
import io.recur.config.LearningRateScaling;
import io.recur.config.ModelSpec;
import io.recur.config.TrainSpec;
import io.recur.config.TrainingApproach;
import io.recur.config.UpdaterKind;
import io.recur.encode.BatchShape;
import io.recur.model.NetworkFactory;
import io.recur.model.NetworkShape;
import io.recur.model.OutputHead;
import io.recur.testing.LocalSpark;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("spark")
@DisplayName("AveragingTrainer")
class AveragingTrainerTest {
    private static JavaSparkContext sc;

    @BeforeAll
    static void startSpark() {
        sc = LocalSpark.start(AveragingTrainerTest.class);
    }

    @AfterAll
    static void stopSpark() {
        sc.stop();
    }

    /** Language-model minibatches of random ids with lengths varying between batches. */
    private static List<DataSet> batches() {
        return batches(false);
    }

    /** @param sameLength every minibatch 15 steps long, so any round's steps per example are the epoch's */
    private static List<DataSet> batches(boolean sameLength) {
        Random random = new Random(3);
        List<DataSet> out = new ArrayList<>();
        for (int b = 0; b < 24; b++) {
            int steps = sameLength ? 15 : 5 + random.nextInt(20);
            INDArray features = Nd4j.zeros(DataType.FLOAT, 8, 1, steps);
            INDArray labels = Nd4j.zeros(DataType.FLOAT, 8, 1, steps);
            for (int i = 0; i < 8; i++)
                for (int t = 0; t < steps; t++) {
                    features.putScalar(new long[]{i, 0, t}, 4 + random.nextInt(12));
                    labels.putScalar(new long[]{i, 0, t}, 4 + random.nextInt(12));
                }
            INDArray mask = Nd4j.ones(DataType.FLOAT, 8, steps);
            out.add(new DataSet(features, labels, mask, mask.dup()));
        }
        return out;
    }

    private static List<Double> checksums(JavaRDD<DataSet> rdd) {
        return rdd.map(ds -> ds.getFeatures().sumNumber().doubleValue() * 1e3 + ds.getLabels().sumNumber().doubleValue()).collect();
    }

    @ParameterizedTest
    @ValueSource(strings = {"MEMORY_ONLY", "MEMORY_ONLY_SER", "DISK_ONLY"})
    void leavesTheCachedTrainingMinibatchesUnchangedAcrossEpochs(String level) {
        TrainSpec spec = new TrainSpec(3, 8, 2, 1, 2, 2, TrainingApproach.DIRECT, level, 0, true);
        JavaRDD<DataSet> train = sc.parallelize(batches(), 2).persist(StorageLevel.fromString(level));
        List<Double> before = checksums(train);
        MultiLayerNetwork net = NetworkFactory.create(
                new ModelSpec(Cell.LSTM, 1, 16, 8, false, 0.0, 0.0, 1.0, UpdaterKind.ADAM, 0.01),
                new NetworkShape(OutputHead.CLASS_PER_STEP, 16, 16), 1);
        var progress = new TrainingProgress(new PrintStream(new ByteArrayOutputStream()), false, 3, 6, 192, 2000);
        new AveragingTrainer(sc, spec, 2, 1, null).fit(Checkpoint.start(net), train, 2000, n -> 1.0, progress, c -> { });
        assertEquals(before, checksums(train));
    }

    @Test
    void recordsTheTrainLossPerPredictionLikeTheValidationLoss() {
        TrainSpec spec = new TrainSpec(1, 8, 2, 1, 2, 2, TrainingApproach.DIRECT, "MEMORY_ONLY", 0, true, 0);
        // Minibatches of 5 to 24 steps: whichever of them end the epoch's last round, the recorded
        // loss is per prediction.
        List<DataSet> batches = batches(false);
        BatchShape shape = batches.stream().map(BatchShape::of).reduce(BatchShape.none(), BatchShape::plus);
        var progress = new TrainingProgress(new PrintStream(new ByteArrayOutputStream()), false, 1, 6,
                shape.examples(), shape.realSteps());
        AveragingTrainer.Trained trained = new AveragingTrainer(sc, spec, 2, 1, null)
                .fit(Checkpoint.start(network()), sc.parallelize(batches, 2), shape.realSteps(), n -> 1.0, progress, c -> { });
        // DL4J's score of a minibatch is its loss summed over the steps, per example; per prediction it is
        // that times the examples over the unmasked steps (every step of these minibatches has a label).
        MultiLayerNetwork net = trained.network();
        double perPrediction = batches.stream().mapToDouble(b -> net.score(b) * b.numExamples()).sum() / shape.realSteps();
        double recorded = trained.report().epochs().get(0).trainLoss();
        assertEquals(perPrediction, recorded, 0.2 * perPrediction, "per-sequence loss would be ~"
                + perPrediction * shape.realSteps() / shape.examples());
    }

    @Test
    void stopsAfterTheFirstEpochWhoseValidationLossReachesTheTarget() {
        TrainSpec spec = new TrainSpec(6, 8, 2, 1, 2, 2, TrainingApproach.DIRECT, "MEMORY_ONLY", 0, true, 1.5);
        double[] losses = {3.0, 2.0, 1.5, 1.0, 0.5, 0.2};
        int[] calls = {0};
        AveragingTrainer.Trained trained = new AveragingTrainer(sc, spec, 2, 1, null)
                .fit(Checkpoint.start(network()), sc.parallelize(batches(), 2), 2000, n -> losses[calls[0]++],
                        quietProgress(6), c -> { });
        assertEquals(3, trained.report().epochs().size());
        assertEquals(1.5, trained.report().bestValidationLoss());
        assertTrue(trained.report().stoppedEarly());
    }

    @Test
    void trainsEveryEpochWithoutATarget() {
        TrainSpec spec = new TrainSpec(3, 8, 2, 1, 2, 2, TrainingApproach.DIRECT, "MEMORY_ONLY", 0, true, 0);
        double[] losses = {3.0, 0.1, 0.01};
        int[] calls = {0};
        AveragingTrainer.Trained trained = new AveragingTrainer(sc, spec, 2, 1, null)
                .fit(Checkpoint.start(network()), sc.parallelize(batches(), 2), 2000, n -> losses[calls[0]++],
                        quietProgress(3), c -> { });
        assertEquals(3, trained.report().epochs().size());
    }

    @Test
    void countsTheTrainingMinibatchesOnceAndThenRunsOneSparkJobPerAveragingRound() throws Exception {
        TrainSpec spec = new TrainSpec(3, 8, 2, 1, 2, 2, TrainingApproach.DIRECT, "MEMORY_ONLY", 0, true);
        JavaRDD<DataSet> train = sc.parallelize(batches(), 2).persist(StorageLevel.MEMORY_ONLY());
        train.count();
        AtomicInteger jobs = new AtomicInteger();
        SparkListener counter = new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart start) {
                jobs.incrementAndGet();
            }
        };
        sc.sc().addSparkListener(counter);
        try {
            new AveragingTrainer(sc, spec, 2, 1, null).fit(Checkpoint.start(network()), train, 2000, n -> 1.0,
                    quietProgress(3), c -> { });
            sc.sc().listenerBus().waitUntilEmpty();
        } finally {
            sc.sc().removeSparkListener(counter);
        }
        // 24 minibatches, 2 workers fitting 2 each per round: DL4J makes 6 rounds of every epoch.
        assertEquals(1 + 3 * AveragingTrainer.roundsPerEpoch(24, 2, 2), jobs.get());
    }

    /** The parameters after each averaging round of one epoch of {@code spec}, from {@link #network(double)}. */
    private static List<INDArray> paramsAfterEachRound(TrainSpec spec, double learningRate, MultiLayerNetwork[] end) {
        List<INDArray> out = new ArrayList<>();
        MultiLayerNetwork net = network(learningRate);
        out.add(net.params().dup());
        var trained = new AveragingTrainer(sc, spec, 2, 1, null, (epoch, round, rounds, n) -> out.add(n.params().dup()))
                .fit(Checkpoint.start(net), sc.parallelize(batches(), 2), 2000, n -> 1.0, quietProgress(1), c -> { });
        if (end != null) end[0] = trained.network();
        return out;
    }

    private static TrainSpec oneEpoch(AveragingSpec averaging) {
        return new TrainSpec(1, 8, 2, 1, 2, 2, TrainingApproach.DIRECT, "MEMORY_ONLY", 0, true, 0, averaging);
    }

    private static void assertClose(INDArray expected, INDArray actual) {
        double scale = expected.norm2Number().doubleValue();
        double off = expected.sub(actual).norm2Number().doubleValue();
        assertTrue(off <= 1e-5 * scale, "parameters differ by " + off + " (norm " + scale + ")");
    }

    @Test
    void blockMomentumAddsTheMomentumOfThePreviousRoundToTheAverageOfTwoWorkers() {
        List<INDArray> plain = paramsAfterEachRound(oneEpoch(AveragingSpec.PLAIN), 0.01, null);
        double mu = 0.5;
        List<INDArray> filtered = paramsAfterEachRound(
                oneEpoch(new AveragingSpec(OptionalDouble.of(mu), 1, false, LearningRateScaling.NONE, OptionalDouble.empty(), 0, true)), 0.01, null);
        assertEquals(1 + AveragingTrainer.roundsPerEpoch(24, 2, 2), filtered.size());
        // Round 1 has no previous update: the filtered step is the average itself. Round 2 starts from
        // the same parameters and data, so its average is plain's, plus μ times round 1's update.
        assertClose(plain.get(1), filtered.get(1));
        INDArray expected = plain.get(2).add(plain.get(1).sub(plain.get(0)).mul(mu));
        assertClose(expected, filtered.get(2));
        assertTrue(plain.get(2).sub(filtered.get(2)).norm2Number().doubleValue() > 1e-3,
                "block momentum changed nothing in round 2");
    }

    @Test
    void tellsTheRoundListenerEveryRoundOfTheEpochCountedFromZero() {
        List<Integer> seen = new ArrayList<>();
        int[] total = {0};
        new AveragingTrainer(sc, oneEpoch(AveragingSpec.PLAIN), 2, 1, null, (epoch, round, rounds, n) -> {
            seen.add(round);
            total[0] = rounds;
        }).fit(Checkpoint.start(network()), sc.parallelize(batches(), 2), 2000, n -> 1.0, quietProgress(1), c -> { });
        int rounds = AveragingTrainer.roundsPerEpoch(24, 2, 2);
        assertEquals(rounds, total[0]);
        assertEquals(java.util.stream.IntStream.range(0, rounds).boxed().toList(), seen);
    }

    @Test
    void linearScalingTrainsTwoWorkersAtTwiceTheRateAndKeepsTheBaseRateOnTheDriver() {
        List<INDArray> doubled = paramsAfterEachRound(oneEpoch(AveragingSpec.PLAIN), 0.02, null);
        MultiLayerNetwork[] end = new MultiLayerNetwork[1];
        List<INDArray> scaled = paramsAfterEachRound(
                oneEpoch(new AveragingSpec(OptionalDouble.of(0), 1, false, LearningRateScaling.LINEAR, OptionalDouble.empty(), 0, true)), 0.01, end);
        assertClose(doubled.get(1), scaled.get(1));
        assertEquals(0.01, end[0].getLearningRate(0), 1e-12);
    }

    @Test
    void warmupCountedInEpochsTrainsTheFirstRoundAtTheShareOfTheScaledRateItsExamplesReached() {
        // 6 rounds an epoch: the first ends 1/6 epoch in, a third of a 0.5-epoch warm-up, so two
        // workers train at 1 + (2 - 1)/3 = 4/3 of the base rate.
        List<INDArray> atFourThirds = paramsAfterEachRound(oneEpoch(AveragingSpec.PLAIN), 0.04, null);
        List<INDArray> warming = paramsAfterEachRound(
                oneEpoch(new AveragingSpec(OptionalDouble.of(0), 1, false, LearningRateScaling.LINEAR, OptionalDouble.empty(), 0.5, true)), 0.03, null);
        assertClose(atFourThirds.get(1), warming.get(1));
    }

    @Test
    void nesterovBlockMomentumStartsTheSecondRoundFromTheLookAheadNotTheModel() {
        double mu = 0.5;
        List<INDArray> classical = paramsAfterEachRound(
                oneEpoch(new AveragingSpec(OptionalDouble.of(mu), 1, false, LearningRateScaling.NONE, OptionalDouble.empty(), 0, true)), 0.01, null);
        List<INDArray> nesterov = paramsAfterEachRound(
                oneEpoch(new AveragingSpec(OptionalDouble.of(mu), 1, true, LearningRateScaling.NONE, OptionalDouble.empty(), 0, true)), 0.01, null);
        // Round 1 has no previous update to look ahead with; from round 2 the replicas' gradients are
        // taken at w + μ·Δ1, so the models part.
        assertClose(classical.get(1), nesterov.get(1));
        assertTrue(classical.get(2).sub(nesterov.get(2)).norm2Number().doubleValue() > 1e-4,
                "Nesterov block momentum changed nothing in round 2");
    }

    @Test
    void nesterovBlockMomentumLeavesTheModelNotTheLookAheadOnTheDriver() {
        MultiLayerNetwork[] end = new MultiLayerNetwork[1];
        List<INDArray> rounds = paramsAfterEachRound(
                oneEpoch(new AveragingSpec(OptionalDouble.of(0.5), 1, true, LearningRateScaling.NONE, OptionalDouble.empty(), 0, true)), 0.01, end);
        assertClose(rounds.get(rounds.size() - 1), end[0].params());
    }

    @Test
    void roundsDownTheAveragingRoundsAsDl4jSplitsAnEpoch() {
        assertEquals(2, AveragingTrainer.roundsPerEpoch(50, 2, 10));
        assertEquals(5, AveragingTrainer.roundsPerEpoch(50, 1, 10));
        assertEquals(1, AveragingTrainer.roundsPerEpoch(15, 2, 10));
    }

    private static MultiLayerNetwork network() {
        return network(0.01);
    }

    private static MultiLayerNetwork network(double learningRate) {
        return NetworkFactory.create(new ModelSpec(Cell.LSTM, 1, 16, 8, false, 0.0, 0.0, 1.0, UpdaterKind.ADAM, learningRate),
                new NetworkShape(OutputHead.CLASS_PER_STEP, 16, 16), 1);
    }

    private static TrainingProgress quietProgress(int epochs) {
        return new TrainingProgress(new PrintStream(new ByteArrayOutputStream()), false, epochs, 6, 192, 2000);
    }
}
