package io.recur.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.recur.run.RunDirectory;
import io.recur.testing.LocalSpark;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The strong baseline inside a real job: one epoch each of the SMS and Moby Dick slices. */
@Tag("spark")
@DisplayName("the strong baseline of a job on local[2]")
class StrongBaselineJobTest {
    private static JavaSparkContext sc;
    @TempDir
    static Path output;
    private static JsonNode classifier;
    private static JsonNode languageModel;

    @BeforeAll
    static void trainBothSlices() throws IOException {
        sc = LocalSpark.start(StrongBaselineJobTest.class);
        classifier = metrics("sms-slice.conf");
        languageModel = metrics("moby-slice.conf");
    }

    @AfterAll
    static void stopSpark() {
        sc.stop();
    }

    private static JsonNode metrics(String job) throws IOException {
        var spec = TrainJobTest.spec(job, output, "eval.strong-baseline=true", "train.epochs=1");
        RunDirectory dir = RunDirectory.create(spec.output().dir(), spec.name(), sc.hadoopConfiguration());
        var result = new TrainJob(spec, new PrintStream(new ByteArrayOutputStream()), false).run(TrainRequest.in(sc, dir));
        try (var in = java.nio.file.Files.newInputStream(Path.of(java.net.URI.create(result.runDirectory())).resolve("metrics.json"))) {
            return io.recur.storage.Json.tree(in);
        }
    }

    @Test
    void scoresTheClassifiersTestExamplesAndTokensTheModelIsScoredOn() {
        assertEquals(classifier.at("/heldOut/examples").asLong(), classifier.at("/strongBaseline/examples").asLong());
        assertEquals(classifier.at("/heldOut/tokens").asLong(), classifier.at("/strongBaseline/tokens").asLong());
        assertTrue(classifier.at("/heldOut/examples").asLong() > 0);
    }

    @Test
    void scoresTheLanguageModelsTestTargetsTheModelIsScoredOn() {
        assertEquals(languageModel.at("/heldOut/examples").asLong(), languageModel.at("/strongBaseline/examples").asLong());
        assertEquals(languageModel.at("/heldOut/tokens").asLong(), languageModel.at("/strongBaseline/tokens").asLong());
        assertTrue(languageModel.at("/heldOut/tokens").asLong() > 0);
    }

    @Test
    void namesThePredictorItsSettingsAndItsSeconds() {
        assertTrue(classifier.at("/strongBaseline/name").asText().startsWith("logistic regression on TF-IDF of "));
        assertTrue(classifier.at("/strongBaseline/settings/validationAccuracy").size() == 2, classifier.toString());
        assertTrue(languageModel.at("/strongBaseline/settings/order").asInt() >= 3, languageModel.toString());
        assertTrue(languageModel.at("/strongBaseline/seconds").asDouble() > 0);
    }

    @Test
    void beatsTheAddOneUnigramOnMobyDick() {
        assertTrue(languageModel.at("/strongBaseline/bitsPerToken").asDouble()
                < languageModel.at("/baseline/bitsPerToken").asDouble(), languageModel.toString());
    }
}
