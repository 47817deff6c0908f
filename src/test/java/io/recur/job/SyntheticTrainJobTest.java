package io.recur.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.recur.config.JobSpec;
import io.recur.config.JobSpecLoader;
import io.recur.config.UserInputException;
import io.recur.corpus.Split;
import io.recur.run.RunDirectory;
import io.recur.run.SavedRun;
import io.recur.task.GeneratedTask;
import io.recur.storage.Json;
import io.recur.testing.LocalSpark;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("spark")
@DisplayName("TrainJob on the synthetic tasks, local[2] with two workers")
class SyntheticTrainJobTest {
    private static JavaSparkContext sc;

    @BeforeAll
    static void startSpark() {
        sc = LocalSpark.start(SyntheticTrainJobTest.class);
    }

    @AfterAll
    static void stopSpark() {
        sc.stop();
    }

    static JobSpec spec(String task, int steps, int trainExamples, int epochs, Path output) {
        return JobSpecLoader.fromResolvedText("""
                job { name = "synthetic-test", task = %s, seed = 5 }
                synthetic { steps = %d, train-examples = %d, validation-examples = 200, test-examples = 300 }
                model { cell = lstm, hidden-size = 16, embedding-size = 0, learning-rate = 0.02 }
                train { epochs = %d, batch-size = 32, workers = 2, averaging-frequency = 2, patience = 0 }
                output.dir = "%s"
                """.formatted(task, steps, trainExamples, epochs, output), "synthetic-test.conf");
    }

    static Path train(JobSpec spec) {
        RunDirectory dir = RunDirectory.create(spec.output().dir(), spec.name(), sc.hadoopConfiguration());
        TrainJob.TrainResult r = new TrainJob(spec, new PrintStream(new ByteArrayOutputStream()), false).run(TrainRequest.in(sc, dir));
        return Path.of(java.net.URI.create(r.runDirectory()));
    }

    static JsonNode metrics(Path run) throws IOException {
        return Json.tree(run.resolve("metrics.json").toFile());
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @DisplayName("an LSTM on the adding problem with T = 10")
    class Adding {
        JsonNode metrics;

        @BeforeAll
        void trainOnce(@TempDir Path output) throws IOException {
            metrics = metrics(train(spec("sequence-regression", 10, 2000, 4, output)));
        }

        @Test
        void scoresTheConstantMeanBaselineNearOneSixth() {
            assertEquals(1.0 / 6, metrics.at("/baseline/mse").asDouble(), 0.04);
        }

        @Test
        void beatsTheConstantBaselineClearly() {
            double mse = metrics.at("/heldOut/mse").asDouble();
            double baseline = metrics.at("/baseline/mse").asDouble();
            assertTrue(mse < 0.5 * baseline, "mse " + mse + " vs baseline " + baseline);
        }

        @Test
        void describesTheGeneratedDataInsteadOfACorpus() {
            assertFalse(metrics.has("corpus"));
            assertEquals("sequence-regression", metrics.at("/synthetic/task").asText());
            assertEquals(10, metrics.at("/synthetic/steps").asInt());
            assertEquals(2000, metrics.at("/synthetic/examples/train").asInt());
            assertEquals(5, metrics.at("/synthetic/seed").asLong());
            assertEquals(300, metrics.at("/heldOut/examples").asInt());
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @DisplayName("an LSTM on the multiplication problem with T = 10")
    class Product {
        JsonNode metrics;

        @BeforeAll
        void trainOnce(@TempDir Path output) throws IOException {
            metrics = metrics(train(spec("sequence-product", 10, 2000, 4, output)));
        }

        @Test
        void scoresTheConstantMeanBaselineNearTheProductsVariance() {
            // Var(v1 v2) for independent uniform values: E[v1² v2²] - E[v1 v2]² = 1/9 - 1/16 = 7/144.
            assertEquals(7.0 / 144, metrics.at("/baseline/mse").asDouble(), 0.015);
        }

        @Test
        void beatsTheConstantBaseline() {
            double mse = metrics.at("/heldOut/mse").asDouble();
            double baseline = metrics.at("/baseline/mse").asDouble();
            assertTrue(mse < baseline, "mse " + mse + " vs baseline " + baseline);
        }

        @Test
        void describesItsGeneratedData() {
            assertEquals("sequence-product", metrics.at("/synthetic/task").asText());
            assertEquals(10, metrics.at("/synthetic/sequenceLength").asInt());
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @DisplayName("an LSTM on copy memory with T = 5, one epoch")
    class Copy {
        Path run;
        JsonNode metrics;

        @BeforeAll
        void trainOnce(@TempDir Path output) throws IOException {
            run = train(spec("sequence-copy", 5, 300, 1, output));
            metrics = metrics(run);
        }

        @Test
        void writesAReportWithTheGeneratedDataAndNoSamples() throws IOException {
            String html = Files.readString(run.resolve("report.html"));
            assertTrue(html.contains("Generated data") && html.contains("recall accuracy"), "report.html");
            assertFalse(html.contains("Generated samples"), "report.html");
        }

        @Test
        void refusesToEvaluateTheRunOnText() {
            SavedRun saved = SavedRun.read(run.toString(), sc.hadoopConfiguration());
            UserInputException e = assertThrows(UserInputException.class, () -> new EvaluateJob(saved));
            assertTrue(e.getMessage().contains("sequence-copy"), e.getMessage());
        }

        @Test
        void scoresTheMemorylessBaselineAtTenLnEightOverTPlusTwenty() {
            assertEquals(10 * Math.log(8) / 25, metrics.at("/baseline/crossEntropy").asDouble(), 1e-9);
        }

        @Test
        void reportsCrossEntropyAndRecallAccuracyOverEveryStep() {
            assertTrue(metrics.at("/heldOut/crossEntropy").isNumber());
            double recall = metrics.at("/heldOut/recallAccuracy").asDouble();
            assertTrue(recall >= 0 && recall <= 1, "recallAccuracy " + recall);
            assertEquals(300 * 25, metrics.at("/heldOut/tokens").asInt());
        }
    }
}
