package io.recur.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recur.config.JobSpec;
import io.recur.config.JobSpecLoader;
import io.recur.corpus.Split;
import io.recur.job.EvaluateJob;
import io.recur.run.SavedRun;
import io.recur.job.SparkContexts;
import io.recur.job.TrainJob;
import io.recur.job.TrainRequest;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The job jar submitted with scripts/submit to a real Spark standalone cluster (a master and two
 * one-core workers, each its own JVM) with a real HDFS, both started by dev/cluster: corpus,
 * run directory and exported minibatches all on HDFS. Starting the cluster once per class keeps
 * it to a few minutes; each test prints its elapsed seconds.
 */
@Tag("cluster")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("recur on a Spark standalone cluster with HDFS (dev/cluster + scripts/submit)")
class StandaloneClusterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path REPO = Path.of("").toAbsolutePath();
    /** Its own state directory, so a cluster a developer started by hand is left alone. */
    private static final Path STATE = REPO.resolve("target/cluster-test");
    private static final String JOB = "src/test/resources/jobs/sms-slice.conf";
    private static final String JOB_NAME = "sms-slice";
    private static final long SUBMIT_TIMEOUT_SECONDS = 900;

    /**
     * How far held-out metrics of the same job and seed may differ between local[2], the cluster,
     * and a cluster run that lost an executor. Partitioning, minibatch order and the averaging
     * schedule are the same everywhere (seeded and independent of where the partitions run), so
     * the only source of difference is floating point: ND4J's native kernels choose their thread
     * count from the cores each JVM sees, which changes the summation order inside matrix
     * products, and DL4J sums the workers' parameters in whichever order their results arrive.
     * Such differences of ~1e-7 can grow over a few epochs of training. Measured on this 2-core
     * machine, local[2], the cluster and both fault runs gave identical metrics; on 129 test
     * messages one flipped prediction is 0.0078 accuracy, and the tolerance allows two.
     */
    private static final double ACCURACY_TOLERANCE = 2.0 / 129;
    /** Mean cross entropy (nats) of the same held-out messages; see ACCURACY_TOLERANCE. */
    private static final double CROSS_ENTROPY_TOLERANCE = 0.02;

    private String masterUrl;
    private String hdfs;
    private FileSystem fs;
    private Submission clean;

    @BeforeAll
    void startCluster() throws Exception {
        long start = System.nanoTime();
        Files.createDirectories(STATE);
        Process p = cluster("start", "--workers", "2", "--cores", "1", "--memory", "2g")
                .redirectOutput(STATE.resolve("cluster-start.out").toFile())
                .start();
        p.getOutputStream().close();
        if (!p.waitFor(SUBMIT_TIMEOUT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0)
            fail("dev/cluster start failed; see " + STATE.resolve("cluster-start.out") + ":\n"
                    + Files.readString(STATE.resolve("cluster-start.out")));
        masterUrl = Files.readString(STATE.resolve("master-url")).strip();
        hdfs = Files.readString(STATE.resolve("hdfs-uri")).strip();
        fs = FileSystem.newInstance(URI.create(hdfs), new Configuration());
        fs.mkdirs(new org.apache.hadoop.fs.Path("/data"));
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(REPO.resolve("src/test/resources/corpus/sms-spam-slice.tsv").toUri()),
                new org.apache.hadoop.fs.Path("/data/sms-spam-slice.tsv"));
        elapsed("cluster start (dev/cluster start, job jar build if stale)", start);
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
    @DisplayName("a training job completes, and its run directory on HDFS holds every run file")
    void trainingJobCompletesWithRunFilesOnHdfs() throws Exception {
        Submission run = cleanRun();
        assertEquals(0, run.exitCode(), run.describe());
        org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(run.runDirectory());
        assertEquals("hdfs", dir.toUri().getScheme(), run.describe());
        for (String file : List.of("model.zip", "metrics.json", "training-log.jsonl", "vocab.json",
                "labels.json", "job.conf", "provenance.json"))
            assertTrue(fs.getFileStatus(new org.apache.hadoop.fs.Path(dir, file)).getLen() > 0, file + " in " + dir);
        assertEquals(List.of(dir.getName()), names(runsUnder("/runs/clean"), n -> true),
                "exactly one published run, no .incomplete- leftover");
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
            evaluated = new EvaluateJob(saved).run(sc, hdfs + "/data/sms-spam-slice.tsv", Split.TEST);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> heldOut = (Map<String, Object>) evaluated.get("heldOut");
        JsonNode expected = metrics(run).at("/heldOut");
        assertEquals(expected.at("/examples").asLong(), ((Number) heldOut.get("examples")).longValue());
        assertEquals(expected.at("/accuracy").asDouble(), ((Number) heldOut.get("accuracy")).doubleValue(), 1e-9);
        assertEquals(expected.at("/crossEntropy").asDouble(), ((Number) heldOut.get("crossEntropy")).doubleValue(), 1e-5);
        elapsed("evaluate the HDFS model", start);
    }

    @Test
    @Order(3)
    @DisplayName("the same job and seed in local[2] lands within tolerance of the cluster run")
    void localAndClusterRunsAgree() throws Exception {
        Submission run = cleanRun();
        assertEquals(0, run.exitCode(), run.describe());
        long start = System.nanoTime();
        JobSpec spec = JobSpecLoader.load(REPO.resolve(JOB), jobSettings("local"));
        TrainJob.TrainResult local = new TrainJob(spec, new PrintStream(new ByteArrayOutputStream()), false).run(TrainRequest.startingSpark("local[2]"));
        JsonNode localMetrics = JSON.valueToTree(local.metrics());
        assertWithinTolerance(metrics(run), localMetrics, "local[2] vs cluster");
        elapsed("local[2] training of the same job", start);
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
                hdfs + "/data/sms-spam-slice.tsv", "--output", output, "--format", "json"), true, null);

        assertEquals(0, scored.exitCode(), scored.describe());
        long lines = Files.readAllLines(REPO.resolve("src/test/resources/corpus/sms-spam-slice.tsv")).size();
        JsonNode report = JSON.readTree(String.join("\n", scored.stdout().subList(scored.stdout().indexOf("{"),
                scored.stdout().size())));
        assertEquals(lines, report.get("rows").asLong(), report.toString());
        assertTrue(fs.exists(new org.apache.hadoop.fs.Path(output, "_SUCCESS")), "published with _SUCCESS");
        assertEquals(lines, jsonRows(output) + jsonRows(output + "/_rejects"), "a row or a reject for every line");
        assertEquals(report.get("scored").asLong(), jsonRows(output), report.toString());
        assertEquals(List.of("sms"), names(listOrEmpty("/scored"), n -> true), "no staged output left beside it");
    }

    /** The rows of a JSON-lines table on HDFS. */
    private long jsonRows(String dir) throws IOException {
        long rows = 0;
        for (FileStatus part : listOrEmpty(dir)) {
            if (!part.getPath().getName().startsWith("part-")) continue;
            try (InputStream in = fs.open(part.getPath())) {
                rows += new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().count();
            }
        }
        return rows;
    }

    private Submission cleanRun() throws Exception {
        if (clean == null) clean = submitTraining("clean", true, null);
        return clean;
    }

    /** Where the job reads and writes, and three epochs (the best one) to keep each run short. */
    private List<String> jobSettings(String name) {
        return List.of("train.epochs=3",
                "corpus.path=\"" + hdfs + "/data/sms-spam-slice.tsv\"",
                "output.dir=\"" + hdfs + "/runs/" + name + "\"",
                "train.approach=export",
                "output.work-dir=\"" + hdfs + "/work/" + name + "\"");
    }

    /** A step taken against the running job once training has begun (its first progress line). */
    interface Fault {
        void inject(RunningDriver driver) throws Exception;
    }

    /**
     * Submits the job file to the cluster and waits for the driver to exit.
     *
     * @param sharedDefaultFs whether the job's Hadoop configuration names HDFS as the default file system
     */
    private Submission submitTraining(String name, boolean sharedDefaultFs, Fault fault) throws Exception {
        List<String> recur = new ArrayList<>(List.of("train", JOB));
        for (String s : jobSettings(name)) recur.addAll(List.of("--set", s));
        return submit(name, recur, sharedDefaultFs, fault);
    }

    /** Submits {@code recur <recur>} to the cluster and waits for the driver to exit. */
    private Submission submit(String name, List<String> recur, boolean sharedDefaultFs, Fault fault) throws Exception {
        long start = System.nanoTime();
        Path out = STATE.resolve("submit-" + name + ".out");
        Path err = STATE.resolve("submit-" + name + ".err");
        List<String> command = new ArrayList<>(List.of("scripts/submit", "--master", masterUrl,
                "--executor-memory", "1g"));
        // DL4J's export approach refuses a cluster whose default file system is local.
        if (sharedDefaultFs) command.addAll(List.of("--conf", "spark.hadoop.fs.defaultFS=" + hdfs));
        command.add("--");
        command.addAll(recur);
        ProcessBuilder pb = new ProcessBuilder(command).directory(REPO.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("SPARK_HOME", REPO.resolve("target/spark-home").toString());
        // Spark's own INFO lines (app ID, task starts) tell the test which executor to kill.
        pb.environment().put("RECUR_LOG_CONFIG", "");
        Process driver = pb.start();
        driver.getOutputStream().close();
        RunningDriver running = new RunningDriver(driver, out, err);
        if (fault != null) {
            running.awaitStdout(l -> l.startsWith("epoch 1/"), "the first epoch");
            fault.inject(running);
        }
        if (!driver.waitFor(SUBMIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            driver.descendants().forEach(ProcessHandle::destroyForcibly);
            driver.destroyForcibly();
            fail("scripts/submit (" + name + ") still running after " + SUBMIT_TIMEOUT_SECONDS + " s; see " + err);
        }
        Submission s = new Submission(name, driver.exitValue(), Files.readAllLines(out), err, running.notes());
        elapsed("cluster job '" + name + "' (exit " + s.exitCode() + ")", start);
        return s;
    }

    /** The driver process while it runs, seen through its output files. */
    static final class RunningDriver {
        /** A standalone master's application ID, or the one YARN gave (YarnClusterTest). */
        private static final Pattern APP_ID =
                Pattern.compile("(?:app ID |Submitted application )(app-[0-9]+-[0-9]+|application_[0-9]+_[0-9]+)");
        private static final Pattern TASK_START = Pattern.compile("Starting task .*, executor ([0-9]+), ");
        private final Process process;
        private final Path stdout;
        private final Path stderr;
        private final List<String> notes = new ArrayList<>();
        private String lastLine = "";

        RunningDriver(Process process, Path stdout, Path stderr) {
            this.process = process;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        void awaitStdout(Predicate<String> line, String what) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SUBMIT_TIMEOUT_SECONDS);
            while (System.nanoTime() < deadline) {
                Optional<String> hit = Files.readAllLines(stdout).stream().filter(line).findFirst();
                if (hit.isPresent()) {
                    lastLine = hit.get();
                    return;
                }
                if (!process.isAlive())
                    fail("the driver exited (" + process.exitValue() + ") before " + what + "; see " + stderr);
                Thread.sleep(200);
            }
            fail("no " + what + " within " + SUBMIT_TIMEOUT_SECONDS + " s; see " + stdout);
        }

        /**
         * The executor process of the next task the driver starts: killing it right then hits a
         * running task (most of a round is spent in tasks), not the pause between two rounds.
         */
        ProcessHandle executorOfNextTask() throws Exception {
            Matcher app = APP_ID.matcher(Files.readString(stderr));
            if (!app.find()) throw new AssertionError("no application ID line in " + stderr);
            String appId = app.group(1);
            long seen = Files.size(stderr);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SUBMIT_TIMEOUT_SECONDS);
            while (System.nanoTime() < deadline && process.isAlive()) {
                byte[] all = Files.readAllBytes(stderr);
                String fresh = new String(all, (int) seen, all.length - (int) seen, StandardCharsets.UTF_8);
                for (String line : fresh.split("\n")) {
                    Matcher task = TASK_START.matcher(line);
                    if (!task.find()) continue;
                    String id = task.group(1);
                    lastLine = line.strip();
                    return ProcessHandle.allProcesses()
                            .filter(h -> h.info().commandLine().map(c -> c.contains("CoarseGrainedExecutorBackend")
                                    && c.contains("--app-id " + appId) && c.contains("--executor-id " + id + " "))
                                    .orElse(false))
                            .findFirst()
                            .orElseThrow(() -> new AssertionError("no process for executor " + id + " of " + appId));
                }
                Thread.sleep(50);
            }
            throw new AssertionError("the driver started no task after " + lastLine + "; see " + stderr);
        }

        String lastLine() {
            return lastLine;
        }

        void note(String note) {
            notes.add(note);
            System.out.println("  " + note);
        }

        String notes() {
            return String.join("; ", notes);
        }
    }

    /** A finished spark-submit of recur train. */
    record Submission(String name, int exitCode, List<String> stdout, Path stderr, String notes) {
        String runDirectory() {
            return stdout.stream().filter(l -> l.startsWith("run: ")).map(l -> l.substring(5).strip()).findFirst()
                    .orElseThrow(() -> new AssertionError("no 'run:' line; " + describe()));
        }

        boolean stderrContains(String text) throws IOException {
            return Files.readString(stderr).contains(text);
        }

        String describe() {
            String tail;
            try {
                List<String> lines = Files.readAllLines(stderr);
                tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
            } catch (IOException e) {
                tail = "(stderr unreadable: " + e + ")";
            }
            return "job '" + name + "' exited " + exitCode + (notes.isEmpty() ? "" : " (" + notes + ")") + "; stdout:\n" + String.join("\n", stdout)
                    + "\nstderr " + stderr + " ends:\n" + tail;
        }
    }

    private JsonNode metrics(Submission run) throws IOException {
        try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(run.runDirectory(), "metrics.json"))) {
            return JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    static void assertWithinTolerance(JsonNode expected, JsonNode actual, String what) {
        assertEquals(expected.at("/heldOut/examples").asLong(), actual.at("/heldOut/examples").asLong(),
                what + ": the same test split");
        assertEquals(expected.at("/heldOut/accuracy").asDouble(), actual.at("/heldOut/accuracy").asDouble(),
                ACCURACY_TOLERANCE, what + " accuracy: " + expected.at("/heldOut") + " vs " + actual.at("/heldOut"));
        assertEquals(expected.at("/heldOut/crossEntropy").asDouble(), actual.at("/heldOut/crossEntropy").asDouble(),
                CROSS_ENTROPY_TOLERANCE, what + " cross entropy: " + expected.at("/heldOut") + " vs " + actual.at("/heldOut"));
        System.out.printf(java.util.Locale.ROOT, "  %s: accuracy %.6f vs %.6f, cross entropy %.6f vs %.6f%n", what,
                expected.at("/heldOut/accuracy").asDouble(), actual.at("/heldOut/accuracy").asDouble(),
                expected.at("/heldOut/crossEntropy").asDouble(), actual.at("/heldOut/crossEntropy").asDouble());
    }

    private FileStatus[] runsUnder(String output) throws IOException {
        return listOrEmpty(output + "/" + JOB_NAME);
    }

    private FileStatus[] listOrEmpty(String dir) throws IOException {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(dir);
        return fs.exists(p) ? fs.listStatus(p) : new FileStatus[0];
    }

    private static List<String> names(FileStatus[] statuses, Predicate<String> keep) {
        return Arrays.stream(statuses).map(s -> s.getPath().getName()).filter(keep).sorted().toList();
    }

    private static void elapsed(String what, long startNanos) {
        System.out.printf(java.util.Locale.ROOT, "[cluster] %s: %.1f s%n", what, (System.nanoTime() - startNanos) / 1e9);
    }
}
