package io.recur.job;

import io.recur.config.JobSpec;
import io.recur.config.JobSpecLoader;
import io.recur.registry.Lineage;
import io.recur.registry.MetricComparison;
import io.recur.registry.Outcome;
import io.recur.registry.Registry;
import io.recur.testing.GrowingCorpus;
import io.recur.testing.LocalSpark;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
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
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Four retrain rounds on one registry while the corpus grows: the first version, an unchanged
 * corpus, more data, and a challenger whose learning rate makes it diverge.
 */
@Tag("spark")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("RetrainJob on a growing SMS corpus, local[2]")
class RetrainJobTest {
    JavaSparkContext sc;
    Registry registry;
    RetrainJob.RetrainResult first, unchanged, grown, diverged;
    List<String> treeBeforeUnchanged, treeAfterUnchanged;
    List<String> versionsAfterGrown;

    @BeforeAll
    void retrainFourTimes(@TempDir Path work) throws IOException {
        sc = LocalSpark.start(RetrainJobTest.class);
        GrowingCorpus corpus = new GrowingCorpus(work.resolve("corpus"), 3);
        Path registryDir = work.resolve("registry");
        registry = Registry.open(registryDir.toString(), "sms-retrain", new Configuration());

        corpus.addPart();
        first = retrain(corpus, registryDir);
        treeBeforeUnchanged = tree(registryDir);
        unchanged = retrain(corpus, registryDir);
        treeAfterUnchanged = tree(registryDir);

        corpus.addPart();
        grown = retrain(corpus, registryDir);
        versionsAfterGrown = registry.versions();

        corpus.addPart();
        diverged = retrain(corpus, registryDir, "model.learning-rate=1e38");
    }

    @AfterAll
    void stopSpark() {
        sc.stop();
    }

    RetrainJob.RetrainResult retrain(GrowingCorpus corpus, Path registryDir, String... overrides) {
        List<String> all = new ArrayList<>(List.of(overrides));
        all.add("corpus.path=\"" + corpus.dir() + "\"");
        all.add("registry.dir=\"" + registryDir + "\"");
        JobSpec spec = JobSpecLoader.load(Path.of("src/test/resources/jobs/sms-retrain.conf"), all);
        return new RetrainJob(spec, new PrintStream(new ByteArrayOutputStream()), false).run(sc);
    }

    /**
     * Every file under the registry except result.json, with its size and modification time, and every
     * directory (whose own time changes with the lease file that comes and goes).
     */
    static List<String> tree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> !p.getFileName().toString().equals("result.json")).map(p -> {
                try {
                    return Files.isDirectory(p) ? dir.relativize(p) + "/"
                            : dir.relativize(p) + " " + Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).sorted().toList();
        }
    }

    @Test
    void firstRoundPublishesV1AsChampion() {
        assertEquals(RetrainJob.Status.PROMOTED, first.status(), first.line());
        assertEquals("v000001", first.result().get("version"));
        assertEquals("v000001", first.result().get("champion"));
    }

    @Test
    void unchangedCorpusChangesNothing() {
        assertEquals(RetrainJob.Status.UNCHANGED, unchanged.status(), unchanged.line());
        assertEquals(treeBeforeUnchanged, treeAfterUnchanged);
    }

    @Test
    void moreDataPublishesV2WarmStartedFromV1() {
        assertEquals(RetrainJob.Status.PROMOTED, grown.status(), grown.line());
        Lineage v2 = registry.lineage("v000002");
        assertEquals("v000001", v2.parent());
        assertEquals(Boolean.TRUE, ((Map<?, ?>) v2.training().get("warmStart")).get("used"), v2.training().toString());
    }

    @Test
    void v2ScoresAtLeastAsWellAsV1OnTheSameHeldOutSplit() {
        MetricComparison c = (MetricComparison) grown.result().get("comparison");
        assertEquals("accuracy", c.metric());
        assertTrue(c.challenger() >= c.champion(), c.toString());
    }

    @Test
    void aDivergingChallengerIsRecordedAsFailedAndTheChampionStays() {
        assertEquals(RetrainJob.Status.FAILED, diverged.status(), diverged.line());
        assertEquals("v000002", registry.champion().orElseThrow());
        Lineage v3 = registry.lineage("v000003");
        assertEquals(Outcome.FAILED, v3.outcome());
        assertTrue(v3.reason().contains("diverged"), v3.reason());
    }

    @Test
    void aFailedVersionHoldsNoModel() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(registry.versionDir("v000003").toUri()))) {
            assertEquals(List.of(Registry.LINEAGE), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void everyRoundClearsTheStagingArea() {
        assertFalse(Files.exists(Path.of(registry.stagingDir().toUri())));
        assertEquals(List.of("v000001", "v000002"), versionsAfterGrown);
    }

    @Test
    void writesTheResultOfTheLastRoundIntoTheRegistry() throws IOException {
        String json = Files.readString(Path.of(registry.resultFile().toUri()));
        assertTrue(json.contains("\"status\" : \"failed\""), json);
    }
}
