package io.recur.bakeoff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recur.config.BakeoffSpec;
import io.recur.config.Cell;
import io.recur.config.JobSpec;
import io.recur.config.JobSpecLoader;
import io.recur.config.SpecException;
import io.recur.job.RunDirectory;
import io.recur.model.NetworkShape;
import io.recur.task.TaskKind;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("spark")
@DisplayName("Bake-off of two cells on the adding problem, local[2]")
class BakeoffTest {
    private static JavaSparkContext sc;

    @BeforeAll
    static void startSpark() {
        sc = LocalSpark.start(BakeoffTest.class);
    }

    @AfterAll
    static void stopSpark() {
        sc.stop();
    }

    static Path jobFile(Path dir) throws IOException {
        Path file = dir.resolve("tiny-bakeoff.conf");
        Files.writeString(file, """
                job { name = "tiny-bakeoff", task = sequence-regression, seed = 3 }
                synthetic { steps = 5, train-examples = 96, validation-examples = 64, test-examples = 64 }
                model { cell = lstm, hidden-size = 6, embedding-size = 0, learning-rate = 0.02 }
                train { epochs = 1, batch-size = 16, workers = 2, averaging-frequency = 2, patience = 0 }
                output.dir = "%s"
                bakeoff { cells = [rnn, lstm], sweep { key = "synthetic.steps", values = [4, 7] } }
                """.formatted(dir.resolve("runs")));
        return file;
    }

    record Run(Bakeoff.Result result, String console) {}

    static Run run(Path jobFile, List<String> overrides, BakeoffSpec spec) {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Bakeoff bakeoff = new Bakeoff(jobFile, overrides, spec, new PrintStream(console, true, StandardCharsets.UTF_8));
        JobSpec first = JobSpecLoader.load(jobFile, overrides);
        RunDirectory dir = RunDirectory.create(first.output().dir(), first.name(), sc.hadoopConfiguration(), "bakeoff-");
        return new Run(bakeoff.run(sc, dir), console.toString(StandardCharsets.UTF_8));
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @DisplayName("sweeping synthetic.steps over 4 and 7 with seeds 3 and 4")
    class SweepingSteps {
        Path job;
        Run run;
        Path dir;
        JsonNode comparison;

        @BeforeAll
        void runIt(@TempDir Path tmp) throws IOException {
            job = jobFile(tmp);
            run = run(job, List.of(), JobSpecLoader.loadBakeoff(job, List.of()).withSeeds(2));
            dir = Path.of(run.result().directory());
            comparison = new ObjectMapper().readTree(dir.resolve("comparison.json").toFile());
        }

        @Test
        void publishesTheDirectoryAsBakeoffWithAnId() {
            assertTrue(dir.getFileName().toString().startsWith("bakeoff-"));
            assertEquals(dir.getParent(), job.getParent().resolve("runs").resolve("tiny-bakeoff"));
            try (Stream<Path> siblings = Files.list(dir.getParent())) {
                assertEquals(List.of(dir), siblings.toList(), "no incomplete directory is left");
            }
            catch (IOException e) { throw new java.io.UncheckedIOException(e); }
        }

        @Test
        void writesOneRowPerCellAndValue() {
            Set<String> seen = new HashSet<>();
            for (JsonNode row : comparison.get("rows")) seen.add(row.get("cell").asText() + "@" + row.get("sweepValue").asText());
            assertEquals(Set.of("rnn@4", "lstm@4", "rnn@7", "lstm@7"), seen);
            assertEquals(4, comparison.get("rows").size());
        }

        @Test
        void runsEveryRowOnceWithEachSeedCountingUpFromTheJobSeed() {
            assertEquals("[3,4]", comparison.get("seeds").toString());
            for (JsonNode row : comparison.get("rows")) {
                assertEquals(2, row.get("runs").size(), row.toString());
                assertEquals(3, row.get("runs").get(0).get("seed").asLong());
                assertEquals(4, row.get("runs").get(1).get("seed").asLong());
            }
        }

        @Test
        void runsRepeatWhatEachSeedsOwnRunMeasured() throws IOException {
            for (JsonNode row : comparison.get("rows")) {
                for (JsonNode seedRun : row.get("runs")) {
                    JsonNode metrics = new ObjectMapper().readTree(dir.resolve(seedRun.get("runDirectory").asText())
                            .resolve("metrics.json").toFile());
                    assertEquals(metrics.get("heldOut").get("mse").asDouble(), seedRun.get("heldOut").asDouble());
                    assertEquals(metrics.get("baseline").get("mse").asDouble(), seedRun.get("baseline").asDouble());
                    assertEquals(metrics.get("training").get("parameters").asLong(), row.get("parameters").asLong());
                    assertEquals(metrics.get("training").get("bestEpoch").asInt(), seedRun.get("epochsToBest").asInt());
                    assertEquals(row.get("cell").asText(), metrics.get("cell").asText());
                    assertEquals(row.get("sweepValue").asInt(), metrics.get("synthetic").get("steps").asInt());
                    assertEquals(seedRun.get("seed").asLong(), metrics.get("synthetic").get("seed").asLong());
                }
            }
        }

        @Test
        void givesEachRowTheMeanAndTIntervalOfItsSeedsValues() {
            for (JsonNode row : comparison.get("rows")) {
                List<Double> values = new ArrayList<>();
                for (JsonNode seedRun : row.get("runs")) values.add(seedRun.get("heldOut").asDouble());
                double mean = (values.get(0) + values.get(1)) / 2;
                // two seeds: sd = |a - b| / sqrt(2), half-width = t(0.975, 1) * sd / sqrt(2) = 12.7062 * |a - b| / 2
                double half = 12.7062 * Math.abs(values.get(0) - values.get(1)) / 2;
                JsonNode heldOut = row.get("heldOut");
                assertEquals(2, heldOut.get("n").asInt());
                assertEquals(mean, heldOut.get("mean").asDouble(), 1e-12);
                assertEquals(mean - half, heldOut.get("low").asDouble(), 1e-4 * Math.max(half, 1e-9) + 1e-12);
                assertEquals(mean + half, heldOut.get("high").asDouble(), 1e-4 * Math.max(half, 1e-9) + 1e-12);
            }
        }

        @Test
        void theTwoSeedsGenerateDifferentExamples() {
            // The synthetic data follows job.seed, so the baseline (the training targets' mean) moves with it.
            for (JsonNode row : comparison.get("rows")) {
                JsonNode runs = row.get("runs");
                assertTrue(runs.get(0).get("baseline").asDouble() != runs.get(1).get("baseline").asDouble(), row.toString());
            }
        }

        @Test
        void givesTheRnnTheHiddenSizeTheMatchingRuleChooses() {
            JobSpec spec = JobSpecLoader.load(job, List.of());
            int expected = ParameterMatching.hiddenSize(spec.model(), Cell.RNN,
                    new NetworkShape(TaskKind.of(spec.task()).head(), 2, 1));
            for (JsonNode row : comparison.get("rows")) {
                int hidden = row.get("hiddenSize").asInt();
                assertEquals(row.get("cell").asText().equals("lstm") ? 6 : expected, hidden);
            }
        }

        @Test
        void preparesTheDataOncePerValueAndSeed() {
            assertEquals(4, run.console().split("bake-off: preparing data", -1).length - 1, run.console());
        }

        @Test
        void writesTheReportWithTableChartsAndLinks() throws IOException {
            String html = Files.readString(dir.resolve("report.html"));
            for (String part : List.of("id=\"comparison\"", "id=\"metric-chart-figure\"", "id=\"validation-chart-1\"",
                    "id=\"validation-chart-2\"", "data:image/png;base64,", "lstm-steps-7-seed-4/report.html", "log scale",
                    "95% interval"))
                assertTrue(html.contains(part), part);
            String md = Files.readString(dir.resolve("report.md"));
            List<String> images = new ArrayList<>();
            var matcher = java.util.regex.Pattern.compile("!\\[[^]]*]\\(([^)]+)\\)").matcher(md);
            while (matcher.find()) images.add(matcher.group(1));
            assertEquals(3, images.size(), md);
            for (String image : images) assertTrue(Files.size(dir.resolve(image)) > 1000, image);
            assertTrue(md.contains("| synthetic.steps | cell |"), md);
            assertEquals(4, md.lines().filter(l -> l.startsWith("| 4 |") || l.startsWith("| 7 |")).count(), md);
        }
    }

    @Test
    void sharesOnePreparedDataAcrossAValueThatLeavesTheDataAlone(@TempDir Path tmp) throws IOException {
        Path job = jobFile(tmp);
        BakeoffSpec spec = new BakeoffSpec(List.of(Cell.GRU), BakeoffSpec.parseSweep("model.learning-rate=0.01,0.02"), 1);
        Run run = run(job, List.of("train.epochs=1"), spec);
        assertEquals(1, run.console().split("bake-off: preparing data", -1).length - 1, run.console());
        assertEquals(2, run.result().comparison().members().size());
    }

    @Test
    void rejectsASweptValueTheKeyDoesNotAcceptBeforeTraining(@TempDir Path tmp) throws IOException {
        Path job = jobFile(tmp);
        BakeoffSpec spec = new BakeoffSpec(List.of(Cell.LSTM), BakeoffSpec.parseSweep("synthetic.steps=10,ten"), 1);
        SpecException e = assertThrows(SpecException.class,
                () -> new Bakeoff(job, List.of(), spec, new PrintStream(new ByteArrayOutputStream())));
        assertTrue(e.getMessage().contains("synthetic.steps = ten"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("runs")), "nothing is written");
    }

    @Test
    void trainsOnTheSmallerShareWithTheSameValidationAndTestExamples(@TempDir Path tmp) throws IOException {
        Path job = Path.of("src/test/resources/jobs/sms-slice.conf");
        List<String> overrides = List.of("output.dir=\"" + tmp + "\"", "train.epochs=1");
        BakeoffSpec spec = new BakeoffSpec(List.of(Cell.GRU), BakeoffSpec.parseSweep("split.train-subset=0.3,1.0"), 1);
        Run run = run(job, overrides, spec);
        assertEquals(2, run.console().split("bake-off: preparing data", -1).length - 1, run.console());
        Path dir = Path.of(run.result().directory());
        JsonNode part = new ObjectMapper().readTree(dir.resolve("gru-train-subset-0.3-seed-7/metrics.json").toFile());
        JsonNode whole = new ObjectMapper().readTree(dir.resolve("gru-train-subset-1.0-seed-7/metrics.json").toFile());
        long kept = part.at("/corpus/splits/train/read").asLong();
        assertEquals(kept, part.at("/training/examples").asLong());
        assertEquals(whole.at("/corpus/splits/train/read").asLong(), part.at("/corpus/trainSplitExamples").asLong());
        assertEquals(whole.at("/corpus/splits/train/read").asLong(), whole.at("/training/examples").asLong());
        assertTrue(kept > 0.15 * whole.at("/training/examples").asLong() && kept < 0.45 * whole.at("/training/examples").asLong(),
                kept + " of " + whole.at("/training/examples"));
        assertEquals(whole.at("/heldOut/examples").asLong(), part.at("/heldOut/examples").asLong());
        assertEquals(whole.at("/corpus/splits/validation/read").asLong(), part.at("/corpus/splits/validation/read").asLong());
        assertTrue(part.at("/vocabSize").asLong() < whole.at("/vocabSize").asLong(), "the vocabulary is counted on the share");
    }
}
