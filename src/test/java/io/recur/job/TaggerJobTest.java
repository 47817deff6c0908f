package io.recur.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.recur.config.JobSpec;
import io.recur.config.JobSpecLoader;
import io.recur.corpus.Split;
import io.recur.run.RunDirectory;
import io.recur.run.SavedRun;
import io.recur.storage.Json;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("spark")
@DisplayName("TrainJob with job.task = tag: a bidirectional LSTM tagger trained on the Brown slice in local[2]")
class TaggerJobTest {
    private static final String SLICE = "src/test/resources/corpus/brown-slice.txt";
    @TempDir
    static Path output;
    private static JavaSparkContext sc;
    private static TrainJob.TrainResult result;
    private static JsonNode metrics;

    @BeforeAll
    static void trainOnce() throws IOException {
        sc = LocalSpark.start(TaggerJobTest.class);
        JobSpec spec = JobSpecLoader.load(Path.of("src/test/resources/jobs/brown-slice.conf"),
                List.of("output.dir=\"" + output + "\""));
        RunDirectory dir = RunDirectory.create(spec.output().dir(), spec.name(), sc.hadoopConfiguration());
        result = new TrainJob(spec, new PrintStream(new ByteArrayOutputStream()), false).run(TrainRequest.in(sc, dir));
        metrics = Json.tree(Path.of(java.net.URI.create(result.runDirectory())).resolve("metrics.json").toFile());
    }

    @AfterAll
    static void stopSpark() {
        sc.stop();
    }

    /**
     * The accuracy of the best constant tagger on the test tokens, which is at least that of the
     * majority tag of the training split. The slice is too small for the network to beat the
     * most-frequent-tag-per-word baseline within a test's time budget (a third of the test
     * tokens are words the slice's 230 training sentences never had), so this is the bar it must clear.
     */
    private static double bestConstantTagAccuracy() {
        long best = 0;
        for (Iterator<JsonNode> it = metrics.at("/heldOut/perTag").elements(); it.hasNext(); )
            best = Math.max(best, it.next().get("support").asLong());
        return (double) best / metrics.at("/heldOut/tokens").asLong();
    }

    @Test
    void beatsTheBestConstantTagOnHeldOutTokens() {
        double accuracy = metrics.at("/heldOut/tokenAccuracy").asDouble();
        double constant = bestConstantTagAccuracy();
        assertTrue(accuracy > constant + 0.15, "token accuracy " + accuracy + " vs best constant tag " + constant);
    }

    @Test
    void scoresTheMostFrequentTagBaselineOnTheSameTokens() {
        assertEquals("most frequent tag per word", metrics.at("/baseline/name").asText());
        assertEquals(metrics.at("/heldOut/tokens").asLong(), metrics.at("/baseline/tokens").asLong());
        assertEquals(metrics.at("/heldOut/unseenTokens").asLong(), metrics.at("/baseline/unseenTokens").asLong());
        assertTrue(metrics.at("/baseline/tokenAccuracy").asDouble() > bestConstantTagAccuracy());
    }

    @Test
    void metricsFollowTheDocumentedSchema() {
        for (String p : List.of("/task", "/heldOut/tokenAccuracy", "/heldOut/unseenTokenAccuracy",
                "/heldOut/unseenTokens", "/heldOut/macroF1", "/heldOut/crossEntropy", "/heldOut/tokens",
                "/heldOut/unknownTags", "/heldOut/perTag/nn/f1", "/heldOut/perTag/nn/support",
                "/baseline/tokenAccuracy", "/baseline/unseenTokenAccuracy", "/baseline/macroF1"))
            assertFalse(metrics.at(p).isMissingNode(), p);
        assertEquals("tag", metrics.at("/task").asText());
    }

    @Test
    void countsOnlyRealTokens() {
        long realTokens = metrics.at("/corpus/splits/test/tokens").asLong();
        assertEquals(realTokens, metrics.at("/heldOut/tokens").asLong() + metrics.at("/heldOut/unknownTags").asLong());
    }

    @Test
    void savedModelReproducesItsHeldOutMetricsWhenEvaluated() {
        SavedRun run = SavedRun.read(result.runDirectory(), sc.hadoopConfiguration());
        @SuppressWarnings("unchecked")
        var heldOut = (Map<String, Object>) new EvaluateJob(run).run(sc, SLICE, Split.TEST).get("heldOut");
        assertEquals(metrics.at("/heldOut/tokenAccuracy").asDouble(), ((Number) heldOut.get("tokenAccuracy")).doubleValue(), 1e-9);
        assertEquals(metrics.at("/heldOut/unseenTokens").asLong(), ((Number) heldOut.get("unseenTokens")).longValue());
    }

    @Test
    void predictsOneTagOfTheTagSetForEachToken() throws IOException {
        SavedRun run = SavedRun.read(result.runDirectory(), sc.hadoopConfiguration());
        String line = new PredictJob(run, null).predict("The jury said it did not find evidence .");
        String[] tagged = line.split(" ");
        assertEquals(9, tagged.length, line);
        assertTrue(tagged[0].startsWith("The/"), line);
        for (String t : tagged)
            assertTrue(run.labels().id(t.substring(t.lastIndexOf('/') + 1)) >= 0, t);
        assertTrue(Files.isRegularFile(Path.of(java.net.URI.create(result.runDirectory())).resolve("labels.json")));
    }
}
