package io.recur.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recur.cluster.StandaloneClusterTest.RunningDriver;
import io.recur.cluster.StandaloneClusterTest.Submission;
import io.recur.config.JobSpecLoader;
import io.recur.job.TrainJob;
import io.recur.job.TrainRequest;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
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

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The job jar submitted with scripts/submit to a real YARN cluster (a MiniYARNCluster whose
 * NodeManager launches every container as its own process tree and enforces its physical memory)
 * with HDFS, both started by {@code dev/cluster start --yarn} once for the class: corpus, run
 * directory, exported minibatches and Spark's staging directory all on HDFS. Each test prints its
 * elapsed seconds; the tolerances are StandaloneClusterTest's.
 */
@Tag("cluster")
@Disabled("not yet run as a whole: cluster mode fails because recur's Main calls System.exit(0), which YARN's"
        + " ApplicationMaster reports as FAILED (exit 16) and retries; docs/cluster.md, \"YARN\"")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("recur on YARN with HDFS (dev/cluster start --yarn + scripts/submit --master yarn)")
class YarnClusterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path REPO = Path.of("").toAbsolutePath();
    /** Its own state directory, so a cluster a developer started by hand is left alone. */
    private static final Path STATE = REPO.resolve("target/yarn-test");
    private static final String JOB = "src/test/resources/jobs/sms-slice.conf";
    private static final String JOB_NAME = "sms-slice";
    private static final long SUBMIT_TIMEOUT_SECONDS = 900;
    /**
     * Executors of 1g heap with 1g overhead: the overhead holds ND4J's off-heap cap
     * (RECUR_OFFHEAP_MAX 512m) plus about 0.5g of the JVM's own native memory. Measured here, an
     * executor of this job peaked at 0.59 GB resident (VmHWM, heap included) in a 2 GB container.
     */
    private static final Map<String, String> MEMORY = Map.of(
            "RECUR_EXECUTOR_OVERHEAD", "1g", "RECUR_DRIVER_OVERHEAD", "1g", "RECUR_OFFHEAP_MAX", "512m");

    private String hdfs;
    private FileSystem fs;
    private Submission client;
    private JsonNode local;

    @BeforeAll
    void startCluster() throws Exception {
        long start = System.nanoTime();
        Files.createDirectories(STATE);
        // 8g: a cluster-mode driver (2g) and two executors (2g each), and room for a replacement executor.
        Process p = cluster("start", "--yarn", "--memory", "8g", "--cores", "4")
                .redirectOutput(STATE.resolve("cluster-start.out").toFile())
                .start();
        p.getOutputStream().close();
        if (!p.waitFor(SUBMIT_TIMEOUT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0)
            fail("dev/cluster start --yarn failed; see " + STATE.resolve("cluster-start.out") + ":\n"
                    + Files.readString(STATE.resolve("cluster-start.out")));
        hdfs = Files.readString(STATE.resolve("hdfs-uri")).strip();
        fs = FileSystem.newInstance(URI.create(hdfs), new Configuration());
        fs.mkdirs(new org.apache.hadoop.fs.Path("/data"));
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(REPO.resolve("src/test/resources/corpus/sms-spam-slice.tsv").toUri()),
                new org.apache.hadoop.fs.Path("/data/sms-spam-slice.tsv"));
        elapsed("cluster start (dev/cluster start --yarn, job jar build if stale)", start);
    }

    @AfterAll
    void stopCluster() throws Exception {
        try {
            if (fs != null) fs.close();
        } finally {
            Process p = cluster("stop").redirectOutput(STATE.resolve("cluster-stop.out").toFile()).start();
            p.waitFor(120, TimeUnit.SECONDS);
        }
    }

    private static ProcessBuilder cluster(String... args) {
        List<String> command = new ArrayList<>(List.of("dev/cluster"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(true);
        pb.environment().put("RECUR_CLUSTER_DIR", STATE.toString());
        return pb;
    }

    @Test
    @Order(1)
    @DisplayName("client mode: the job completes on YARN and lands within tolerance of the same job and seed in local[2]")
    void clientModeRunMatchesLocalTwin() throws Exception {
        Submission run = clientRun();
        assertEquals(0, run.exitCode(), run.describe());
        org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(run.runDirectory());
        assertEquals("hdfs", dir.toUri().getScheme(), run.describe());
        for (String file : List.of("model.zip", "metrics.json", "vocab.json", "labels.json", "job.conf", "provenance.json"))
            assertTrue(fs.getFileStatus(new org.apache.hadoop.fs.Path(dir, file)).getLen() > 0, file + " in " + dir);
        assertEquals(List.of(dir.getName()), published("client"), "exactly one published run, no .incomplete- leftover");
        StandaloneClusterTest.assertWithinTolerance(localTwin(), metrics(run.runDirectory()), "local[2] vs YARN client mode");
    }

    @Test
    @Order(2)
    @DisplayName("evaluate on YARN of the published model reproduces the held-out metrics in its metrics.json")
    void evaluateOnYarnReproducesMetrics() throws Exception {
        Submission run = clientRun();
        assertEquals(0, run.exitCode(), run.describe());
        Submission evaluated = submit("evaluate", "client", List.of("evaluate", "--model", run.runDirectory(),
                "--input", hdfs + "/data/sms-spam-slice.tsv", "--split", "test"), Map.of(), List.of(), false);
        assertEquals(0, evaluated.exitCode(), evaluated.describe());
        JsonNode report = JSON.readTree(String.join("\n",
                evaluated.stdout().subList(evaluated.stdout().indexOf("{"), evaluated.stdout().size())));
        JsonNode expected = metrics(run.runDirectory()).at("/heldOut");
        assertEquals(expected.at("/examples").asLong(), report.at("/heldOut/examples").asLong(), report.toString());
        assertEquals(expected.at("/accuracy").asDouble(), report.at("/heldOut/accuracy").asDouble(), 1e-9, report.toString());
        assertEquals(expected.at("/crossEntropy").asDouble(), report.at("/heldOut/crossEntropy").asDouble(), 1e-5, report.toString());
    }

    @Test
    @Order(3)
    @DisplayName("cluster mode: the driver runs in YARN's ApplicationMaster and publishes a run within tolerance of local[2]")
    void clusterModeRunMatchesLocalTwin() throws Exception {
        Submission run = submitTraining("cluster-mode", "cluster", Map.of(), List.of(), false);
        assertEquals(0, run.exitCode(), run.describe());
        List<String> runs = published("cluster-mode");
        assertEquals(1, runs.size(), "exactly one published run: " + runs);
        String runDirectory = hdfs + "/runs/cluster-mode/" + JOB_NAME + "/" + runs.get(0);
        String driverStdout = driverStdout(run);
        assertTrue(driverStdout.contains("run: " + runDirectory), "the driver's stdout in its container log names the run:\n"
                + driverStdout);
        StandaloneClusterTest.assertWithinTolerance(localTwin(), metrics(runDirectory), "local[2] vs YARN cluster mode");
    }

    @Test
    @Order(4)
    @DisplayName("killing an executor's container process during training: Spark retries, the job completes within tolerance")
    void jobSurvivesAKilledExecutorContainer() throws Exception {
        Submission faulty = submitTraining("executor-kill", "client", Map.of(), List.of(), true);
        assertEquals(0, faulty.exitCode(), faulty.describe());
        assertTrue(faulty.stderrContains("Lost executor"), "the driver saw the executor die: " + faulty.describe());
        StandaloneClusterTest.assertWithinTolerance(metrics(clientRun().runDirectory()), metrics(faulty.runDirectory()),
                "executor killed vs clean YARN run");
    }

    @Test
    @Order(5)
    @DisplayName("an executor over its container's memory limit: exit 5, a message naming the memory settings, nothing published")
    void containerOverItsMemoryLimitFailsWithTheSettingsToRaise() throws Exception {
        // 450m is the smallest heap Spark accepts; with 1m of overhead the container's limit is
        // 480 MB (YARN rounds to 32 MB here), which this job's executors outgrow as they train.
        // spark.task.maxFailures=1: the first task YARN kills fails the job, rather than the
        // replacement executors running until they too are killed or, later, the job completes.
        Submission killed = submitTraining("memory", "client",
                Map.of("RECUR_EXECUTOR_OVERHEAD", "1m", "RECUR_OFFHEAP_MAX", "256m"),
                List.of("--executor-memory", "450m", "--conf", "spark.task.maxFailures=1"), false);
        assertEquals(5, killed.exitCode(), killed.describe());
        String recurLine = Files.readAllLines(killed.stderr()).stream().filter(l -> l.startsWith("recur: ")).findFirst()
                .orElseThrow(() -> new AssertionError("no recur: line; " + killed.describe()));
        assertTrue(recurLine.startsWith("recur: YARN killed an executor's container for exceeding its physical memory limit"),
                recurLine);
        for (String setting : List.of("spark.executor.memoryOverhead", "RECUR_EXECUTOR_OVERHEAD", "RECUR_OFFHEAP_MAX"))
            assertTrue(recurLine.contains(setting), setting + " in: " + recurLine);
        assertEquals(List.of(), published("memory"), "a failed run is never published");
    }

    private Submission clientRun() throws Exception {
        if (client == null) client = submitTraining("client", "client", Map.of(), List.of(), false);
        return client;
    }

    /** The same job and seed trained in local[2] in this JVM, once. */
    private JsonNode localTwin() throws Exception {
        if (local == null) {
            long start = System.nanoTime();
            TrainJob.TrainResult result = new TrainJob(JobSpecLoader.load(REPO.resolve(JOB), jobSettings("local")),
                    new PrintStream(new ByteArrayOutputStream()), false).run(TrainRequest.startingSpark("local[2]"));
            local = JSON.valueToTree(result.metrics());
            elapsed("local[2] training of the same job", start);
        }
        return local;
    }

    /** Where the job reads and writes, and three epochs, as in StandaloneClusterTest. */
    private List<String> jobSettings(String name) {
        return List.of("train.epochs=3",
                "corpus.path=\"" + hdfs + "/data/sms-spam-slice.tsv\"",
                "output.dir=\"" + hdfs + "/runs/" + name + "\"",
                "train.approach=export",
                "output.work-dir=\"" + hdfs + "/work/" + name + "\"");
    }

    private Submission submitTraining(String name, String deployMode, Map<String, String> env, List<String> sparkArgs,
                                      boolean killAnExecutor) throws Exception {
        List<String> recur = new ArrayList<>(List.of("train", JOB));
        for (String s : jobSettings(name)) recur.addAll(List.of("--set", s));
        return submit(name, deployMode, recur, env, sparkArgs, killAnExecutor);
    }

    /** Submits {@code recur <recur>} to YARN and waits for spark-submit to exit. */
    private Submission submit(String name, String deployMode, List<String> recur, Map<String, String> env,
                              List<String> sparkArgs, boolean killAnExecutor) throws Exception {
        long start = System.nanoTime();
        Path out = STATE.resolve("submit-" + name + ".out");
        Path err = STATE.resolve("submit-" + name + ".err");
        List<String> command = new ArrayList<>(List.of("scripts/submit", "--master", "yarn", "--deploy-mode", deployMode,
                "--num-executors", "2", "--executor-cores", "1", "--executor-memory", "1g", "--driver-memory", "1g"));
        command.addAll(sparkArgs);
        command.add("--");
        command.addAll(recur);
        ProcessBuilder pb = new ProcessBuilder(command).directory(REPO.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("SPARK_HOME", REPO.resolve("target/spark-home").toString());
        pb.environment().put("HADOOP_CONF_DIR", STATE.resolve("hadoop-conf").toString());
        // The driver's ports on the loopback, where the NodeManager's containers reach it.
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        // Spark's own INFO lines (application ID, task starts) tell the test which executor to kill.
        pb.environment().put("RECUR_LOG_CONFIG", "");
        pb.environment().putAll(MEMORY);
        pb.environment().putAll(env);
        Process driver = pb.start();
        driver.getOutputStream().close();
        RunningDriver running = new RunningDriver(driver, out, err);
        if (killAnExecutor) {
            running.awaitStdout(l -> l.startsWith("epoch 1/"), "the first epoch");
            ProcessHandle executor = running.executorOfNextTask();
            executor.destroyForcibly();
            running.note("killed executor pid " + executor.pid() + " (SIGKILL) in its YARN container as it started: "
                    + running.lastLine());
        }
        if (!driver.waitFor(SUBMIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            driver.descendants().forEach(ProcessHandle::destroyForcibly);
            driver.destroyForcibly();
            fail("scripts/submit (" + name + ") still running after " + SUBMIT_TIMEOUT_SECONDS + " s; see " + err);
        }
        Submission s = new Submission(name, driver.exitValue(), Files.readAllLines(out), err, running.notes());
        elapsed("YARN " + deployMode + "-mode job '" + name + "' (exit " + s.exitCode() + ")", start);
        return s;
    }

    /** The stdout of a cluster-mode driver: its ApplicationMaster container's log, which the NodeManager keeps here. */
    private String driverStdout(Submission run) throws IOException {
        String appId = Files.readAllLines(run.stderr()).stream()
                .filter(l -> l.contains("Submitted application application_"))
                .map(l -> l.substring(l.indexOf("application_")).strip()).findFirst()
                .orElseThrow(() -> new AssertionError("no application ID; " + run.describe()));
        try (Stream<Path> files = Files.walk(STATE.resolve("yarn"))) {
            Path stdout = files.filter(f -> f.endsWith(Path.of(appId, "container_" + appId.substring("application_".length())
                            + "_01_000001", "stdout")))
                    .findFirst().orElseThrow(() -> new AssertionError("no ApplicationMaster stdout of " + appId));
            return Files.readString(stdout);
        }
    }

    private JsonNode metrics(String runDirectory) throws IOException {
        try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(runDirectory, "metrics.json"))) {
            return JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** Every entry under the job's output directory, hidden ones included. */
    private List<String> published(String name) throws IOException {
        org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path("/runs/" + name + "/" + JOB_NAME);
        FileStatus[] statuses = fs.exists(dir) ? fs.listStatus(dir) : new FileStatus[0];
        return Arrays.stream(statuses).map(s -> s.getPath().getName()).sorted().toList();
    }

    private static void elapsed(String what, long startNanos) {
        System.out.printf(java.util.Locale.ROOT, "[yarn] %s: %.1f s%n", what, (System.nanoTime() - startNanos) / 1e9);
    }
}
