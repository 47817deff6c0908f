package io.recur.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.recur.cluster.ClusterHarness.Fault;
import io.recur.cluster.ClusterHarness.Submission;
import io.recur.corpus.Split;
import io.recur.job.EvaluateJob;
import io.recur.job.SparkContexts;
import io.recur.run.SavedRun;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.recur.cluster.ClusterHarness.CORPUS;
import static io.recur.cluster.ClusterHarness.REPO;
import static io.recur.cluster.ClusterHarness.assertWithinTolerance;
import static io.recur.cluster.ClusterHarness.names;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The job jar submitted with scripts/submit to a real Spark standalone cluster (a master and two
 * one-core workers, each its own JVM) with a real HDFS, both started by dev/cluster (see
 * {@link ClusterHarness}): corpus, run directory and exported minibatches all on HDFS. Starting
 * the cluster once per class keeps it to a few minutes; each test prints its elapsed seconds.
 */
@Tag("cluster")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("recur on a Spark standalone cluster with HDFS (dev/cluster + scripts/submit)")
class StandaloneClusterTest {
    private ClusterHarness cluster;
    private String masterUrl;
    private String hdfs;
    private Submission clean;

    @BeforeAll
    void startCluster() throws Exception {
        cluster = ClusterHarness.start("cluster", "cluster-test", "--workers", "2", "--cores", "1", "--memory", "2g");
        masterUrl = Files.readString(cluster.state("master-url")).strip();
        hdfs = cluster.hdfs;
    }

    @AfterAll
    void stopCluster() throws Exception {
        if (cluster != null) cluster.close();
    }

    @Test
    @Order(1)
    @DisplayName("a training job completes, and its run directory on HDFS holds every run file")
    void trainingJobCompletesWithRunFilesOnHdfs() throws Exception {
        Submission run = cleanRun();
        cluster.assertPublishedRun(run, "clean");
        assertFalse(Arrays.stream(listOrEmpty("/work/clean")).anyMatch(s -> s.getPath().getName().startsWith("export-")),
                "exported minibatches are removed after training");
        assertTrue(metrics(run).at("/heldOut/accuracy").asDouble() > metrics(run).at("/baseline/accuracy").asDouble(),
                "the model beats the majority class: " + metrics(run).at("/heldOut"));
    }

    @Test
    @Order(2)
    @DisplayName("the model read back from HDFS evaluates to the held-out metrics in its metrics.json")
    void savedModelOnHdfsReproducesItsMetrics() throws Exception {
        Submission run = cleanRun();
        assertEquals(0, run.exitCode(), run.describe());
        long start = System.nanoTime();
        SavedRun saved = SavedRun.read(run.runDirectory(), new Configuration());
        Map<String, Object> evaluated;
        try (var sc = SparkContexts.start(saved.spec(), "local[2]")) {
            evaluated = new EvaluateJob(saved).run(sc, hdfs + CORPUS, Split.TEST);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> heldOut = (Map<String, Object>) evaluated.get("heldOut");
        JsonNode expected = metrics(run).at("/heldOut");
        assertEquals(expected.at("/examples").asLong(), ((Number) heldOut.get("examples")).longValue());
        assertEquals(expected.at("/accuracy").asDouble(), ((Number) heldOut.get("accuracy")).doubleValue(), 1e-9);
        assertEquals(expected.at("/crossEntropy").asDouble(), ((Number) heldOut.get("crossEntropy")).doubleValue(), 1e-5);
        cluster.elapsed("evaluate the HDFS model", start);
    }

    @Test
    @Order(3)
    @DisplayName("the same job and seed in local[2] lands within tolerance of the cluster run")
    void localAndClusterRunsAgree() throws Exception {
        Submission run = cleanRun();
        assertEquals(0, run.exitCode(), run.describe());
        assertWithinTolerance(metrics(run), cluster.trainLocally(), "local[2] vs cluster");
    }

    @Test
    @Order(4)
    @DisplayName("killing an executor during training: Spark retries, the job completes within tolerance")
    void jobSurvivesAKilledExecutor() throws Exception {
        Submission faulty = submitTraining("executor-kill", true, driver -> {
            ProcessHandle executor = driver.executorOfNextTask();
            executor.destroyForcibly();
            driver.note("killed executor pid " + executor.pid() + " (SIGKILL) as it started: " + driver.lastLine());
        });
        assertEquals(0, faulty.exitCode(), faulty.describe());
        assertTrue(faulty.stderrContains("Lost executor"), "the driver saw the executor die: " + faulty.describe());
        assertWithinTolerance(metrics(cleanRun()), metrics(faulty), "executor killed vs clean cluster run");
    }

    @Test
    @Order(5)
    @DisplayName("the export approach without a shared default file system is a user error (exit 2), before any training")
    void exportWithoutSharedDefaultFileSystemIsRejected() throws Exception {
        Submission rejected = submitTraining("no-default-fs", false, null);
        assertEquals(2, rejected.exitCode(), rejected.describe());
        assertTrue(rejected.stderrContains("train.approach = export") && rejected.stderrContains("fs.defaultFS"),
                "the message names the key and the setting: " + rejected.describe());
        assertEquals(List.of(), names(runsUnder("/runs/no-default-fs"), n -> true), "nothing published or left behind");
    }

    @Test
    @Order(6)
    @DisplayName("killing a worker during training: a completed run or a clear failure, never a published broken run")
    void killedWorkerNeverLeavesABrokenPublishedRun() throws Exception {
        Submission faulty = submitTraining("worker-kill", true, driver -> {
            ProcessHandle executor = driver.executorOfNextTask();
            ProcessHandle worker = executor.parent().orElseThrow(() -> new AssertionError("executor without worker"));
            assertTrue(worker.info().commandLine().orElse("").contains("org.apache.spark.deploy.worker.Worker"),
                    "the executor's parent is a standalone worker");
            worker.destroyForcibly();
            driver.note("killed worker pid " + worker.pid() + " (SIGKILL) as its executor started: " + driver.lastLine());
        });
        List<String> published = names(runsUnder("/runs/worker-kill"), n -> !n.startsWith(".incomplete-"));
        if (faulty.exitCode() == 0) {
            assertEquals(1, published.size(), "one published run: " + published);
            assertWithinTolerance(metrics(cleanRun()), metrics(faulty), "worker killed vs clean cluster run");
            SavedRun.read(faulty.runDirectory(), new Configuration());
        } else {
            assertNotEquals(1, faulty.exitCode(), "a lost worker is a Spark failure (5) or IO failure (4), not a bug: "
                    + faulty.describe());
            assertEquals(List.of(), published, "a failed run is never published");
        }
    }

    @Test
    @Order(7)
    @DisplayName("score with the cluster's model over a corpus on HDFS publishes a row for every line on HDFS")
    void scoreOnTheClusterPublishesARowForEveryLine() throws Exception {
        Submission run = cleanRun();
        assertEquals(0, run.exitCode(), run.describe());
        String output = hdfs + "/scored/sms";

        Submission scored = submit("score", List.of("score", "--model", run.runDirectory(), "--input",
                hdfs + CORPUS, "--output", output, "--format", "json"), true, null);

        assertEquals(0, scored.exitCode(), scored.describe());
        long lines = Files.readAllLines(REPO.resolve("src/test/resources/corpus/sms-spam-slice.tsv")).size();
        JsonNode report = scored.stdoutJson();
        assertEquals(lines, report.get("rows").asLong(), report.toString());
        assertTrue(cluster.fs.exists(new org.apache.hadoop.fs.Path(output, "_SUCCESS")), "published with _SUCCESS");
        assertEquals(lines, jsonRows(output) + jsonRows(output + "/_rejects"), "a row or a reject for every line");
        assertEquals(report.get("scored").asLong(), jsonRows(output), report.toString());
        assertEquals(List.of("sms"), names(listOrEmpty("/scored"), n -> true), "no staged output left beside it");
    }

    /** The rows of a JSON-lines table on HDFS. */
    private long jsonRows(String dir) throws IOException {
        long rows = 0;
        for (FileStatus part : listOrEmpty(dir)) {
            if (!part.getPath().getName().startsWith("part-")) continue;
            try (InputStream in = cluster.fs.open(part.getPath())) {
                rows += new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().count();
            }
        }
        return rows;
    }

    private Submission cleanRun() throws Exception {
        if (clean == null) clean = submitTraining("clean", true, null);
        return clean;
    }

    /**
     * Submits the job file to the cluster and waits for the driver to exit.
     *
     * @param sharedDefaultFs whether the job's Hadoop configuration names HDFS as the default file system
     */
    private Submission submitTraining(String name, boolean sharedDefaultFs, Fault fault) throws Exception {
        return submit(name, cluster.training(name), sharedDefaultFs, fault);
    }

    /** Submits {@code recur <recur>} to the cluster and waits for the driver to exit. */
    private Submission submit(String name, List<String> recur, boolean sharedDefaultFs, Fault fault) throws Exception {
        List<String> spark = new ArrayList<>(List.of("--master", masterUrl, "--executor-memory", "1g"));
        // DL4J's export approach refuses a cluster whose default file system is local.
        if (sharedDefaultFs) spark.addAll(List.of("--conf", "spark.hadoop.fs.defaultFS=" + hdfs));
        return cluster.submit(name, spark, recur, Map.of(), fault);
    }

    private JsonNode metrics(Submission run) throws IOException {
        return cluster.metrics(run.runDirectory());
    }

    private FileStatus[] runsUnder(String output) throws IOException {
        return listOrEmpty(output + "/" + ClusterHarness.JOB_NAME);
    }

    private FileStatus[] listOrEmpty(String dir) throws IOException {
        return cluster.listOrEmpty(dir);
    }
}
