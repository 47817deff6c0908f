package io.recur.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.recur.config.JobSpec;
import io.recur.config.JobSpecLoader;
import io.recur.config.UserInputException;
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
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("spark")
@DisplayName("TrainJob on local[2] with parameter averaging over two workers")
class TrainJobTest {
    private static JavaSparkContext sc;

    @BeforeAll
    static void startSpark() {
        sc = LocalSpark.start(TrainJobTest.class);
    }

    @AfterAll
    static void stopSpark() {
        sc.stop();
    }

    static JobSpec spec(String job, Path output, String... overrides) {
        List<String> all = new ArrayList<>(List.of(overrides));
        all.add("output.dir=\"" + output + "\"");
        return JobSpecLoader.load(Path.of("src/test/resources/jobs", job), all);
    }

    static TrainJob.TrainResult train(JobSpec spec) {
        RunDirectory dir = RunDirectory.create(spec.output().dir(), spec.name(), sc.hadoopConfiguration());
        return new TrainJob(spec, new PrintStream(new ByteArrayOutputStream()), false).run(sc, dir);
    }

    static JsonNode metrics(TrainJob.TrainResult r) throws IOException {
        return Json.tree(Path.of(java.net.URI.create(r.runDirectory())).resolve("metrics.json").toFile());
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @DisplayName("an LSTM spam classifier trained on the SMS slice")
    class SmsClassifier {
        TrainJob.TrainResult result;
        JsonNode metrics;

        @BeforeAll
        void trainOnce(@TempDir Path output) throws IOException {
            result = train(spec("sms-slice.conf", output));
            metrics = metrics(result);
        }

        @Test
        void beatsTheMajorityClassOnHeldOutData() {
            double accuracy = metrics.at("/heldOut/accuracy").asDouble();
            double baseline = metrics.at("/baseline/accuracy").asDouble();
            assertTrue(accuracy > baseline + 0.03, "accuracy " + accuracy + " vs majority " + baseline);
        }

        @Test
        void publishesEveryRunFile() {
            Path run = Path.of(java.net.URI.create(result.runDirectory()));
            for (String f : List.of("model.zip", "vocab.json", "labels.json", "job.conf", "provenance.json",
                    "metrics.json", "training-log.jsonl", "report.html"))
                assertTrue(Files.isRegularFile(run.resolve(f)), f);
        }

        @Test
        void writesNoChecksumSideFiles() throws IOException {
            try (Stream<Path> s = Files.list(Path.of(java.net.URI.create(result.runDirectory())))) {
                assertFalse(s.anyMatch(p -> p.getFileName().toString().endsWith(".crc")));
            }
        }

        @Test
        void leavesNoIncompleteDirectoryBehind() throws IOException {
            Path jobDir = Path.of(java.net.URI.create(result.runDirectory())).getParent();
            try (Stream<Path> s = Files.list(jobDir)) {
                assertFalse(s.anyMatch(p -> p.getFileName().toString().startsWith(".")));
            }
        }

        @Test
        void metricsFollowTheDocumentedSchema() {
            for (String p : List.of("/job", "/task", "/cell", "/heldOut/accuracy", "/heldOut/macroF1",
                    "/heldOut/examples", "/heldOut/tokens", "/baseline/accuracy", "/training/epochs",
                    "/training/seconds", "/training/tokensPerSecond", "/training/workers", "/vocabSize",
                    "/corpus/fingerprint", "/corpus/splits/train/read", "/corpus/splits/test/truncated"))
                assertFalse(metrics.at(p).isMissingNode(), p);
            assertEquals(2, metrics.at("/training/workers").asInt());
        }

        @Test
        void logsOneLinePerEpoch() throws IOException {
            Path log = Path.of(java.net.URI.create(result.runDirectory())).resolve("training-log.jsonl");
            assertEquals(metrics.at("/training/epochs").asInt(), Files.readAllLines(log).size());
        }

        @Test
        void savedModelReproducesItsHeldOutMetricsWhenEvaluated() {
            SavedRun run = SavedRun.read(result.runDirectory(), sc.hadoopConfiguration());
            var evaluated = new EvaluateJob(run).run(sc, "src/test/resources/corpus/sms-spam-slice.tsv", io.recur.corpus.Split.TEST);
            @SuppressWarnings("unchecked")
            var heldOut = (java.util.Map<String, Object>) evaluated.get("heldOut");
            assertEquals(metrics.at("/heldOut/accuracy").asDouble(), ((Number) heldOut.get("accuracy")).doubleValue(), 1e-9);
            assertEquals(metrics.at("/heldOut/examples").asLong(), ((Number) heldOut.get("examples")).longValue());
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @DisplayName("a classifier trained on the train-subset 0.3 of the SMS slice")
    class TrainSubset {
        TrainJob.TrainResult result;
        JsonNode metrics;
        String console;
        long wholeTrainSplit;

        @BeforeAll
        void trainOnce(@TempDir Path output) throws IOException {
            JobSpec spec = spec("sms-slice.conf", output, "split.train-subset=0.3", "train.epochs=1");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            RunDirectory dir = RunDirectory.create(spec.output().dir(), spec.name(), sc.hadoopConfiguration());
            result = new TrainJob(spec, new PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8), false).run(sc, dir);
            metrics = metrics(result);
            console = out.toString(java.nio.charset.StandardCharsets.UTF_8);
            // Counted apart from the reader: the slice's lines whose hash falls in the training split.
            var split = new io.recur.corpus.StableSplit(spec.split());
            wholeTrainSplit = Files.readAllLines(Path.of("src/test/resources/corpus/sms-spam-slice.tsv")).stream()
                    .filter(l -> split.assign(l) == io.recur.corpus.Split.TRAIN).count();
        }

        @Test
        void countsTheExamplesTrainedOnInTheTrainSplitOfMetrics() {
            long trained = metrics.at("/corpus/splits/train/read").asLong();
            assertEquals(metrics.at("/training/examples").asLong(), trained);
            assertTrue(trained > 0.15 * wholeTrainSplit && trained < 0.45 * wholeTrainSplit, trained + " of " + wholeTrainSplit);
        }

        @Test
        void keepsTheWholeTrainingSplitsCountApart() {
            assertEquals(wholeTrainSplit, metrics.at("/corpus/trainSplitExamples").asLong());
            assertEquals(0.3, metrics.at("/corpus/trainSubset").asDouble());
        }

        @Test
        void printsTheShareAndTheWholeSplitOnTheCorpusLine() {
            long trained = metrics.at("/corpus/splits/train/read").asLong();
            assertTrue(console.contains("(train " + trained + " of " + wholeTrainSplit + " in the train-subset 0.3, validation "),
                    console);
        }

        @Test
        void showsTheExamplesTrainedOnInTheReportsTrainRow() throws IOException {
            String md = Files.readString(Path.of(java.net.URI.create(result.runDirectory())).resolve("report.md"));
            String row = "| train | " + String.format(java.util.Locale.ROOT, "%,d", metrics.at("/corpus/splits/train/read").asLong()) + " |";
            assertTrue(md.contains(row), row + " in\n" + md);
        }
    }

    @Test
    void characterLanguageModelBeatsTheUnigramBaseline(@TempDir Path output) throws IOException {
        JsonNode m = metrics(train(spec("moby-slice.conf", output)));
        double bits = m.at("/heldOut/bitsPerToken").asDouble();
        double unigram = m.at("/baseline/bitsPerToken").asDouble();
        assertTrue(bits < unigram - 0.3, "bits per char " + bits + " vs unigram " + unigram);
    }

    @Test
    void gruLanguageModelBeatsTheUnigramBaseline(@TempDir Path output) throws IOException {
        JsonNode m = metrics(train(spec("moby-slice.conf", output, "model.cell=gru")));
        assertEquals("gru", m.at("/cell").asText());
        assertTrue(m.at("/heldOut/bitsPerToken").asDouble() < m.at("/baseline/bitsPerToken").asDouble() - 0.3);
    }

    @Test
    void rejectsASingleClassCorpusBeforeTraining(@TempDir Path output) throws IOException {
        Path corpus = output.resolve("one-class.tsv");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 60; i++) lines.add("ham\tline number " + i + " says hello");
        Files.write(corpus, lines);
        var e = assertThrows(UserInputException.class,
                () -> train(spec("sms-slice.conf", output, "corpus.path=\"" + corpus + "\"")));
        assertTrue(e.getMessage().contains("ham") && e.getMessage().contains("two labels"), e.getMessage());
    }

    @Test
    void refusesAnOutputDirectoryItCannotWrite(@TempDir Path tmp) throws IOException {
        Path blocker = tmp.resolve("not-a-dir");
        Files.writeString(blocker, "a file where the output directory should be");
        var e = assertThrows(UserInputException.class,
                () -> RunDirectory.create(blocker.toString(), "job", sc.hadoopConfiguration()));
        assertTrue(e.getMessage().contains("output.dir"), e.getMessage());
    }
}
