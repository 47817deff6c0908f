package io.recur.train;

import io.recur.config.Cell;
import io.recur.config.ModelSpec;
import io.recur.config.TrainSpec;
import io.recur.config.TrainingApproach;
import io.recur.config.UpdaterKind;
import io.recur.model.NetworkFactory;
import io.recur.model.NetworkShape;
import io.recur.model.OutputHead;
import io.recur.testing.CapturedLog;
import io.recur.testing.LocalSpark;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("spark")
@DisplayName("Checkpoints of AveragingTrainer")
class CheckpointTest {
    private static final String KEY = "0123456789abcdef0123456789abcdef";
    private static final String OTHER_KEY = "fedcba9876543210fedcba9876543210";
    private static final TrainSpec FOUR_EPOCHS = new TrainSpec(4, 8, 2, 1, 2, 0, TrainingApproach.DIRECT,
            "MEMORY_ONLY", 0, true);
    private static JavaSparkContext sc;
    private static JavaRDD<DataSet> train;

    @BeforeAll
    static void startSpark() {
        sc = LocalSpark.start(CheckpointTest.class);
        train = sc.parallelize(batches(), 2).persist(StorageLevel.MEMORY_ONLY());
    }

    @AfterAll
    static void stopSpark() {
        sc.stop();
    }

    /** Language-model minibatches where the next id is the current one plus one, so loss falls with training. */
    private static List<DataSet> batches() {
        Random random = new Random(5);
        List<DataSet> out = new ArrayList<>();
        for (int b = 0; b < 16; b++) {
            int steps = 6 + random.nextInt(10);
            INDArray features = Nd4j.zeros(DataType.FLOAT, 8, 1, steps);
            INDArray labels = Nd4j.zeros(DataType.FLOAT, 8, 1, steps);
            for (int i = 0; i < 8; i++)
                for (int t = 0; t < steps; t++) {
                    int id = 4 + random.nextInt(7);
                    features.putScalar(new long[]{i, 0, t}, id);
                    labels.putScalar(new long[]{i, 0, t}, id + 1);
                }
            INDArray mask = Nd4j.ones(DataType.FLOAT, 8, steps);
            out.add(new DataSet(features, labels, mask, mask.dup()));
        }
        return out;
    }

    private static MultiLayerNetwork network() {
        return NetworkFactory.create(new ModelSpec(Cell.LSTM, 1, 16, 8, false, 0.0, 0.0, 1.0, UpdaterKind.ADAM, 0.02),
                new NetworkShape(OutputHead.CLASS_PER_STEP, 12, 12), 1);
    }

    private static TrainingProgress quiet(int epochs) {
        return new TrainingProgress(new PrintStream(new ByteArrayOutputStream()), false, epochs, 4, 128, 1000);
    }

    private static CheckpointStore store(Path dir, String key) {
        return new CheckpointStore(dir.toString(), key, new Configuration());
    }

    /** Loss on a fixed minibatch: a real, parameter-dependent validation score. */
    private static final ToDoubleFunction<MultiLayerNetwork> VALIDATION = n -> n.score(batches().get(0));

    private static AveragingTrainer.Trained fit(Checkpoint start, CheckpointStore store,
                                                ToDoubleFunction<MultiLayerNetwork> validation) {
        return new AveragingTrainer(sc, FOUR_EPOCHS, 2, 11, null)
                .fit(start, train, 1000, validation, quiet(4), store::save);
    }

    private static List<Integer> epochs(List<EpochRecord> log) {
        return log.stream().map(EpochRecord::epoch).toList();
    }

    private static List<String> checkpointDirs(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("epoch-")).sorted().toList();
        }
    }

    /** Stands in for a process killed after a given epoch's checkpoint was written. */
    private static final class Crash extends RuntimeException {}

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @DisplayName("a run that crashes after epoch 2 and is resumed")
    class Resumed {
        Path dir;
        Checkpoint restored;
        AveragingTrainer.Trained resumed;
        AveragingTrainer.Trained uninterrupted;

        @BeforeAll
        void crashAndResume(@TempDir Path tmp) {
            dir = tmp.resolve("checkpoints");
            CheckpointStore store = store(dir, KEY);
            assertThrows(Crash.class, () -> new AveragingTrainer(sc, FOUR_EPOCHS, 2, 11, null)
                    .fit(Checkpoint.start(network()), train, 1000, VALIDATION, quiet(4), c -> {
                        store.save(c);
                        if (c.epoch() == 2) throw new Crash();
                    }));
            restored = store.latest().orElseThrow();
            resumed = fit(restored, store, VALIDATION);
            uninterrupted = fit(Checkpoint.start(network()), store(tmp.resolve("uninterrupted"), KEY), VALIDATION);
        }

        @Test
        void restoresTheLastCompletedEpoch() {
            assertEquals(2, restored.epoch());
            assertEquals(List.of(1, 2), epochs(restored.log()));
        }

        @Test
        void continuesAtTheNextEpochAndLogsEveryEpochOnce() {
            assertEquals(List.of(1, 2, 3, 4), epochs(resumed.report().epochs()));
        }

        @Test
        void repeatsTheEpochsTheUninterruptedRunTrained() {
            // Same data split per epoch (reseeded from seed and epoch), same parameters and updater
            // state: the resumed epochs follow the uninterrupted run up to float summation order.
            for (int i = 2; i < 4; i++) {
                double a = resumed.report().epochs().get(i).validationLoss();
                double b = uninterrupted.report().epochs().get(i).validationLoss();
                assertEquals(b, a, 1e-3 * Math.abs(b), "validation loss of epoch " + (i + 1));
            }
        }

        @Test
        void keepsOnlyTheLastTwoCheckpoints() throws IOException {
            assertEquals(List.of("epoch-000003-0123456789abcdef", "epoch-000004-0123456789abcdef"), checkpointDirs(dir));
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @DisplayName("reading checkpoints back")
    class Reading {
        Path trained;

        @BeforeAll
        void trainFourEpochs(@TempDir Path tmp) {
            trained = tmp.resolve("trained");
            fit(Checkpoint.start(network()), store(trained, KEY), VALIDATION);
        }

        /** A copy of the four-epoch run's checkpoints that a test may damage. */
        CheckpointStore copyInto(Path dir) throws IOException {
            try (Stream<Path> files = Files.walk(trained)) {
                for (Path p : files.toList()) {
                    Path target = dir.resolve(trained.relativize(p).toString());
                    if (Files.isDirectory(p)) Files.createDirectories(target);
                    else Files.copy(p, target);
                }
            }
            return store(dir, KEY);
        }

        @Test
        void skipsATruncatedCheckpointWithAWarningNamingTheFileAndUsesThePreviousOne(@TempDir Path dir) throws IOException {
            CheckpointStore store = copyInto(dir);
            Path model = dir.resolve("epoch-000004-0123456789abcdef").resolve(CheckpointStore.MODEL);
            try (RandomAccessFile f = new RandomAccessFile(model.toFile(), "rw")) {
                f.setLength(f.length() / 2);
            }
            Optional<Checkpoint> latest;
            List<String> log;
            try (CapturedLog captured = CapturedLog.of(CheckpointStore.class)) {
                latest = store.latest();
                log = captured.lines();
            }
            assertEquals(3, latest.orElseThrow().epoch());
            assertTrue(log.stream().anyMatch(l -> l.startsWith("WARN") && l.contains(model.getFileName().toString())
                    && l.contains("epoch-000004")), "log: " + log);
        }

        @Test
        void skipsACheckpointWhoseFileNoLongerMatchesItsSha256(@TempDir Path dir) throws IOException {
            CheckpointStore store = copyInto(dir);
            Path checkpoint = dir.resolve("epoch-000004-0123456789abcdef");
            Path state = checkpoint.resolve(CheckpointStore.STATE);
            byte[] bytes = Files.readAllBytes(state);
            bytes[bytes.length / 2] ^= 1;
            Files.write(state, bytes);
            // Checkpoints are kept on the raw local file system, which writes no .crc: only the manifest can tell.
            List<String> log;
            Optional<Checkpoint> latest;
            try (CapturedLog captured = CapturedLog.of(CheckpointStore.class)) {
                latest = store.latest();
                log = captured.lines();
            }
            assertEquals(3, latest.orElseThrow().epoch());
            assertTrue(log.stream().anyMatch(l -> l.startsWith("WARN") && l.contains(CheckpointStore.STATE)
                    && l.contains("SHA-256")), "log: " + log);
        }

        @Test
        void ignoresACheckpointWrittenForAnotherKey(@TempDir Path dir) throws IOException {
            MultiLayerNetwork net = network();
            store(dir, OTHER_KEY).save(new Checkpoint(1, net, net.params().dup(), null, 1, 2.0, 0, 1.0, 1.0,
                    List.of(new EpochRecord(1, 2.0, 2.0, 1.0, 1000, true))));
            List<String> log;
            Optional<Checkpoint> latest;
            try (CapturedLog captured = CapturedLog.of(CheckpointStore.class)) {
                latest = store(dir, KEY).latest();
                log = captured.lines();
            }
            assertFalse(latest.isPresent());
            assertTrue(log.stream().anyMatch(l -> l.startsWith("WARN") && l.contains("another run")), "log: " + log);
        }
    }

    @Test
    void countsPatienceAcrossAResume() {
        // Restored after epoch 2 with two epochs in a row without improvement: patience 2 has run out.
        MultiLayerNetwork net = network();
        Checkpoint restored = new Checkpoint(2, net, net.params().dup(), null, 0, 1.5, 2, 1.0, 1.0,
                List.of(new EpochRecord(1, 2.0, 1.6, 0.5, 1000, false), new EpochRecord(2, 1.9, 1.7, 0.5, 1000, false)));
        TrainSpec patienceTwo = new TrainSpec(4, 8, 2, 1, 2, 0, TrainingApproach.DIRECT, "MEMORY_ONLY", 2, true);
        AveragingTrainer.Trained trained = new AveragingTrainer(sc, patienceTwo, 2, 11, null)
                .fit(restored, train, 1000, VALIDATION, quiet(4), c -> { });
        assertTrue(trained.report().stoppedEarly());
        assertEquals(List.of(1, 2), epochs(trained.report().epochs()));
    }

    @Test
    void neverCheckpointsAnEpochWhoseLossIsNaN(@TempDir Path dir) throws IOException {
        CheckpointStore store = store(dir, KEY);
        int[] calls = {0};
        ToDoubleFunction<MultiLayerNetwork> nanInEpochTwo = n -> ++calls[0] == 2 ? Double.NaN : VALIDATION.applyAsDouble(n);
        assertThrows(TrainingDivergedException.class, () -> fit(Checkpoint.start(network()), store, nanInEpochTwo));
        assertEquals(List.of("epoch-000001-0123456789abcdef"), checkpointDirs(dir));
        assertEquals(1, store.latest().orElseThrow().epoch());
    }
}
