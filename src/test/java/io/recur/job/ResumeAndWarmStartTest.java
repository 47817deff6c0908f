package io.recur.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.recur.config.JobSpec;
import io.recur.config.JobSpecLoader;
import io.recur.config.UserInputException;
import io.recur.corpus.CorpusReader;
import io.recur.corpus.Split;
import io.recur.data.WarmStart;
import io.recur.run.RunDirectory;
import io.recur.run.SavedRun;
import io.recur.run.TrainingLog;
import io.recur.storage.Json;
import io.recur.testing.LocalSpark;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("spark")
@DisplayName("TrainJob resumed from checkpoints and warm-started from an earlier run (SMS slice)")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResumeAndWarmStartTest {
    private JavaSparkContext sc;
    private Path root;
    private Path checkpoints;
    private TrainJob.TrainResult first;
    private SavedRun champion;

    @BeforeAll
    void trainTheChampionWithCheckpoints(@TempDir Path tmp) {
        sc = LocalSpark.start(ResumeAndWarmStartTest.class);
        root = tmp;
        checkpoints = tmp.resolve("checkpoints");
        first = train(spec("sms-slice.conf"), new TrainOptions(null, checkpoints.toString(), null));
        champion = SavedRun.read(first.runDirectory(), sc.hadoopConfiguration());
    }

    @AfterAll
    void stopSpark() {
        sc.stop();
    }

    /** The SMS slice job, trained for three epochs unless overridden, to keep the class fast. */
    private JobSpec spec(String job, String... overrides) {
        List<String> all = new ArrayList<>(List.of("train.epochs=3"));
        all.addAll(List.of(overrides));
        all.add("output.dir=\"" + root.resolve("runs") + "\"");
        return JobSpecLoader.load(Path.of("src/test/resources/jobs", job), all);
    }

    private TrainJob.TrainResult train(JobSpec spec, TrainOptions options) {
        RunDirectory dir = RunDirectory.create(spec.output().dir(), spec.name(), sc.hadoopConfiguration());
        return new TrainJob(spec, new PrintStream(new ByteArrayOutputStream()), false).run(TrainRequest.in(sc, dir).with(options));
    }

    private WarmStart plan(JobSpec spec) {
        return WarmStart.plan(spec, champion, CorpusReader.read(sc, spec.corpus(), spec.split()).split(Split.TRAIN));
    }

    private static List<JsonNode> trainingLog(TrainJob.TrainResult r) throws IOException {
        Path log = Path.of(java.net.URI.create(r.runDirectory())).resolve(TrainingLog.FILE);
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(log)) out.add(Json.tree(line));
        return out;
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @DisplayName("resumed after its last checkpoint was lost")
    class Resume {
        int lastEpoch;
        TrainJob.TrainResult resumed;

        @BeforeAll
        void dropTheNewestCheckpointAndRunAgain() throws IOException {
            List<Path> dirs;
            try (Stream<Path> s = Files.list(checkpoints)) {
                dirs = s.filter(p -> p.getFileName().toString().startsWith("epoch-")).sorted(Comparator.reverseOrder()).toList();
            }
            lastEpoch = trainingLog(first).size();
            // As if the process had died while training the last epoch.
            try (Stream<Path> files = Files.walk(dirs.get(0))) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            }
            resumed = train(spec("sms-slice.conf"), new TrainOptions(null, checkpoints.toString(), null));
        }

        @Test
        void continuesAfterTheNewestRemainingCheckpoint() {
            assertEquals(lastEpoch - 1, resumed.resumedFromEpoch());
        }

        @Test
        void logsEveryEpochExactlyOnce() throws IOException {
            List<Integer> epochs = trainingLog(resumed).stream().map(e -> e.get("epoch").asInt()).toList();
            assertEquals(IntStream.rangeClosed(1, lastEpoch).boxed().toList(), epochs);
        }

        @Test
        void keepsTheEpochsBeforeTheCheckpointAsTheyWere() throws IOException {
            for (int i = 0; i < lastEpoch - 1; i++)
                assertEquals(trainingLog(first).get(i).get("validationLoss").asDouble(),
                        trainingLog(resumed).get(i).get("validationLoss").asDouble(), "epoch " + (i + 1));
        }

        @Test
        void reportsTheResumeInMetrics() throws IOException {
            JsonNode metrics = TrainJobTest.metrics(resumed);
            assertEquals(lastEpoch - 1, metrics.get("resumedFromEpoch").asInt());
            assertEquals(lastEpoch, metrics.at("/training/epochs").asInt());
        }
    }

    @Nested
    @DisplayName("the vocabulary policy")
    class Policy {
        @Test
        void autoRebuildsWhenTheOovRateIsAboveTheLimit() {
            WarmStart plan = plan(spec("sms-slice.conf", "warm-start.max-oov-rate=0"));
            assertTrue(plan.outcome().oovRate() > 0, "the slice has tokens below vocab.min-count");
            assertFalse(plan.used());
            assertTrue(plan.outcome().decision().contains("warm-start.max-oov-rate"), plan.outcome().decision());
        }

        @Test
        void autoWarmStartsWhenTheOovRateIsWithinTheLimit() {
            WarmStart plan = plan(spec("sms-slice.conf", "warm-start.max-oov-rate=1"));
            assertTrue(plan.used(), plan.outcome().decision());
            assertEquals(champion.vocab(), plan.vocab());
        }

        @Test
        void rebuildNeverWarmStarts() {
            assertFalse(plan(spec("sms-slice.conf", "warm-start.vocab-policy=rebuild")).used());
        }

        @Test
        void refusesALabelTheChampionLacksNamingItAndTheKey() throws IOException {
            JobSpec spec = spec("sms-slice.conf", "corpus.path=\"" + corpusWithNewLabel() + "\"",
                    "warm-start.vocab-policy=frozen");
            var e = assertThrows(UserInputException.class, () -> plan(spec));
            assertTrue(e.getMessage().contains("'promo'") && e.getMessage().contains("warm-start.allow-new-labels"),
                    e.getMessage());
        }

        @Test
        void trainsFromScratchWithTheUnionOfLabelsWhenNewLabelsAreAllowed() throws IOException {
            WarmStart plan = plan(spec("sms-slice.conf", "corpus.path=\"" + corpusWithNewLabel() + "\"",
                    "warm-start.allow-new-labels=true", "warm-start.vocab-policy=frozen"));
            assertFalse(plan.used());
            assertEquals(List.of("ham", "promo", "spam"), plan.labels().labels());
        }

        @Test
        void refusesAChampionOfAnotherShapeNamingTheKey() {
            var e = assertThrows(UserInputException.class, () -> plan(spec("sms-slice.conf", "model.hidden-size=16")));
            assertTrue(e.getMessage().contains("model.hidden-size = 16"), e.getMessage());
        }

        @Test
        void refusesAChampionTrainedOnAnotherSourceNamingTheSourceAndTheColumns() {
            // The champion's own lines, read as a table: the same examples, but other columns than the model's input.
            var e = assertThrows(UserInputException.class, () -> plan(spec("sms-slice.conf", "corpus.source=csv",
                    "corpus.csv.header=false", "corpus.csv.delimiter=\"\\t\"", "corpus.csv.quote=\"\\u0000\"",
                    "corpus.columns.label=_c0", "corpus.columns.text=_c1")));
            assertTrue(e.getMessage().contains("corpus.source = csv (the model has text)")
                    && e.getMessage().contains("corpus.columns.text = \"_c1\" (the model has \"\")")
                    && e.getMessage().contains("warm-start.vocab-policy = rebuild"), e.getMessage());
        }

        @Test
        void rebuildTrainsFromScratchOnAnotherSource() {
            assertFalse(plan(spec("sms-slice.conf", "warm-start.vocab-policy=rebuild", "corpus.source=csv",
                    "corpus.csv.header=false", "corpus.csv.delimiter=\"\\t\"", "corpus.csv.quote=\"\\u0000\"",
                    "corpus.columns.label=_c0", "corpus.columns.text=_c1")).used());
        }

        private Path corpusWithNewLabel() throws IOException {
            Path corpus = root.resolve("sms-with-promo.tsv");
            List<String> lines = new ArrayList<>(Files.readAllLines(Path.of("src/test/resources/corpus/sms-spam-slice.tsv")));
            // Twenty distinct lines: the hash split sends most of them to training.
            for (int i = 0; i < 20; i++) lines.add("promo\tbig sale today only offer " + i);
            Files.write(corpus, lines);
            return corpus;
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @DisplayName("warm-started from the champion for one epoch")
    class WarmStarted {
        TrainJob.TrainResult warm;

        @BeforeAll
        void trainOneEpochFromTheChampion() {
            warm = train(spec("sms-slice.conf", "train.epochs=1", "warm-start.vocab-policy=frozen"),
                    new TrainOptions(champion, null, null));
        }

        @Test
        void startsNearTheChampionsValidationLossNotAFreshStartsOne() throws IOException {
            double fresh = trainingLog(first).get(0).get("validationLoss").asDouble();
            double championBest = TrainJobTest.metrics(first).at("/training/bestValidationLoss").asDouble();
            double warmFirst = trainingLog(warm).get(0).get("validationLoss").asDouble();
            assertTrue(fresh > championBest, "precondition: the champion improved on its first epoch");
            assertTrue(Math.abs(warmFirst - championBest) < Math.abs(fresh - warmFirst),
                    "warm first epoch " + warmFirst + ", champion best " + championBest + ", fresh first epoch " + fresh);
        }

        @Test
        void keepsTheChampionsVocabulary() {
            assertEquals(champion.vocab(), SavedRun.read(warm.runDirectory(), sc.hadoopConfiguration()).vocab());
        }

        @Test
        void reportsTheWarmStartInTheResultAndMetrics() throws IOException {
            assertTrue(warm.warmStart().used(), warm.warmStart().decision());
            JsonNode m = TrainJobTest.metrics(warm).get("warmStart");
            assertTrue(m.get("used").asBoolean());
            assertEquals(champion.provenance().runId(), m.get("parentRunId").asText());
        }
    }
}
