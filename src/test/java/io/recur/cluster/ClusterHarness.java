package io.recur.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recur.config.JobSpecLoader;
import io.recur.job.TrainJob;
import io.recur.job.TrainRequest;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A cluster started with {@code dev/cluster start} for one test class (StandaloneClusterTest,
 * YarnClusterTest), with the SMS slice on its HDFS, and {@code scripts/submit} runs of the SMS
 * slice job against it: corpus, run directory and exported minibatches on HDFS. Each cluster has
 * a state directory of its own, so a cluster a developer started by hand is left alone. Every
 * start, submission and local training prints its elapsed seconds.
 */
final class ClusterHarness implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path REPO = Path.of("").toAbsolutePath();
    static final String JOB = "src/test/resources/jobs/sms-slice.conf";
    static final String JOB_NAME = "sms-slice";
    static final String CORPUS = "/data/sms-spam-slice.tsv";
    static final long SUBMIT_TIMEOUT_SECONDS = 900;

    /**
     * How far held-out metrics of the same job and seed may differ between local[2], a cluster,
     * and a cluster run that lost an executor. Partitioning, minibatch order and the averaging
     * schedule are the same everywhere (seeded and independent of where the partitions run), so
     * the only source of difference is floating point: ND4J's native kernels choose their thread
     * count from the cores each JVM sees, which changes the summation order inside matrix
     * products, and DL4J sums the workers' parameters in whichever order their results arrive.
     * Such differences of ~1e-7 can grow over a few epochs of training. Measured on this 2-core
     * machine, local[2], the standalone cluster and both its fault runs gave identical metrics; on
     * 129 test messages one flipped prediction is 0.0078 accuracy, and the tolerance allows two.
     */
    static final double ACCURACY_TOLERANCE = 2.0 / 129;
    /** Mean cross entropy (nats) of the same held-out messages; see ACCURACY_TOLERANCE. */
    static final double CROSS_ENTROPY_TOLERANCE = 0.02;

    private final String label;
    private final Path state;
    final String hdfs;
    final FileSystem fs;

    private ClusterHarness(String label, Path state, String hdfs, FileSystem fs) {
        this.label = label;
        this.state = state;
        this.hdfs = hdfs;
        this.fs = fs;
    }

    /**
     * Runs {@code dev/cluster start START_ARGS} with its state in {@code target/STATE_DIR} and puts
     * the SMS slice at {@link #CORPUS} on its HDFS; {@code label} prefixes the timings printed.
     */
    static ClusterHarness start(String label, String stateDir, String... startArgs) throws Exception {
        long start = System.nanoTime();
        Path state = REPO.resolve("target").resolve(stateDir);
        Files.createDirectories(state);
        List<String> args = new ArrayList<>(List.of("start"));
        args.addAll(List.of(startArgs));
        Path out = state.resolve("cluster-start.out");
        Process p = cluster(state, args).redirectOutput(out.toFile()).start();
        p.getOutputStream().close();
        if (!p.waitFor(SUBMIT_TIMEOUT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0)
            fail("dev/cluster " + String.join(" ", args) + " failed; see " + out + ":\n" + Files.readString(out));
        String hdfs = Files.readString(state.resolve("hdfs-uri")).strip();
        FileSystem fs = FileSystem.newInstance(URI.create(hdfs), new Configuration());
        fs.mkdirs(new org.apache.hadoop.fs.Path("/data"));
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(REPO.resolve("src/test/resources/corpus/sms-spam-slice.tsv").toUri()),
                new org.apache.hadoop.fs.Path(CORPUS));
        ClusterHarness harness = new ClusterHarness(label, state, hdfs, fs);
        harness.elapsed("cluster start (dev/cluster " + String.join(" ", args) + ", job jar build if stale)", start);
        return harness;
    }

    /** Stops every daemon and executor of the cluster; its logs stay in the state directory. */
    @Override
    public void close() throws Exception {
        try {
            fs.close();
        } finally {
            Process p = cluster(state, List.of("stop")).redirectOutput(state.resolve("cluster-stop.out").toFile()).start();
            p.waitFor(120, TimeUnit.SECONDS);
        }
    }

    private static ProcessBuilder cluster(Path state, List<String> args) {
        List<String> command = new ArrayList<>(List.of("dev/cluster"));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(true);
        pb.environment().put("RECUR_CLUSTER_DIR", state.toString());
        return pb;
    }

    /** A file of the cluster's state directory (master-url, hadoop-conf, yarn/, ...). */
    Path state(String name) {
        return state.resolve(name);
    }

    /** Where the job reads and writes, and three epochs (the best one) to keep each run short. */
    List<String> jobSettings(String name) {
        return List.of("train.epochs=3",
                "corpus.path=\"" + hdfs + CORPUS + "\"",
                "output.dir=\"" + hdfs + "/runs/" + name + "\"",
                "train.approach=export",
                "output.work-dir=\"" + hdfs + "/work/" + name + "\"");
    }

    /** recur's arguments that train the job with {@link #jobSettings}. */
    List<String> training(String name) {
        List<String> recur = new ArrayList<>(List.of("train", JOB));
        for (String s : jobSettings(name)) recur.addAll(List.of("--set", s));
        return recur;
    }

    /** The held-out metrics of the same job and seed trained in local[2] in this JVM. */
    JsonNode trainLocally() throws Exception {
        long start = System.nanoTime();
        TrainJob.TrainResult result = new TrainJob(JobSpecLoader.load(REPO.resolve(JOB), jobSettings("local")),
                new PrintStream(new ByteArrayOutputStream()), false).run(TrainRequest.startingSpark("local[2]"));
        elapsed("local[2] training of the same job", start);
        return JSON.valueToTree(result.metrics());
    }

    /** A step taken against the running job once training has begun (its first progress line). */
    interface Fault {
        void inject(RunningDriver driver) throws Exception;
    }

    /**
     * Runs {@code scripts/submit SPARK_ARGS -- RECUR} with Spark from target/spark-home and waits
     * for it to exit; {@code fault}, when not null, is injected at the first epoch line.
     */
    Submission submit(String name, List<String> sparkArgs, List<String> recur, Map<String, String> env, Fault fault)
            throws Exception {
        long start = System.nanoTime();
        Path out = state.resolve("submit-" + name + ".out");
        Path err = state.resolve("submit-" + name + ".err");
        List<String> command = new ArrayList<>(List.of("scripts/submit"));
        command.addAll(sparkArgs);
        command.add("--");
        command.addAll(recur);
        ProcessBuilder pb = new ProcessBuilder(command).directory(REPO.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("SPARK_HOME", REPO.resolve("target/spark-home").toString());
        // Spark's own INFO lines (application ID, task starts) tell a fault which executor to kill.
        pb.environment().put("RECUR_LOG_CONFIG", "");
        pb.environment().putAll(env);
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
        elapsed("job '" + name + "' (exit " + s.exitCode() + ")", start);
        return s;
    }

    /** The driver process while it runs, seen through its output files. */
    static final class RunningDriver {
        /** A standalone master's application ID, or the one YARN gave. */
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

    /** A finished scripts/submit. */
    record Submission(String name, int exitCode, List<String> stdout, Path stderr, String notes) {
        String runDirectory() {
            return stdout.stream().filter(l -> l.startsWith("run: ")).map(l -> l.substring(5).strip()).findFirst()
                    .orElseThrow(() -> new AssertionError("no 'run:' line; " + describe()));
        }

        boolean stderrContains(String text) throws IOException {
            return Files.readString(stderr).contains(text);
        }

        /** The JSON document recur printed on stdout (evaluate, score). */
        JsonNode stdoutJson() throws IOException {
            int start = stdout.indexOf("{");
            if (start < 0) throw new AssertionError("no JSON on stdout; " + describe());
            return JSON.readTree(String.join("\n", stdout.subList(start, stdout.size())));
        }

        String describe() {
            String tail;
            try {
                List<String> lines = Files.readAllLines(stderr);
                tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
            } catch (IOException e) {
                tail = "(stderr unreadable: " + e + ")";
            }
            return "job '" + name + "' exited " + exitCode + (notes.isEmpty() ? "" : " (" + notes + ")") + "; stdout:\n"
                    + String.join("\n", stdout) + "\nstderr " + stderr + " ends:\n" + tail;
        }
    }

    JsonNode metrics(String runDirectory) throws IOException {
        try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(runDirectory, "metrics.json"))) {
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
        System.out.printf(Locale.ROOT, "  %s: accuracy %.6f vs %.6f, cross entropy %.6f vs %.6f%n", what,
                expected.at("/heldOut/accuracy").asDouble(), actual.at("/heldOut/accuracy").asDouble(),
                expected.at("/heldOut/crossEntropy").asDouble(), actual.at("/heldOut/crossEntropy").asDouble());
    }

    /**
     * That the submission exited 0 with its run directory on HDFS holding every run file, the only
     * entry of the job's output directory {@code /runs/NAME/sms-slice} (no .incomplete- leftover).
     */
    void assertPublishedRun(Submission run, String name) throws IOException {
        assertEquals(0, run.exitCode(), run.describe());
        org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(run.runDirectory());
        assertEquals("hdfs", dir.toUri().getScheme(), run.describe());
        for (String file : List.of("model.zip", "metrics.json", "training-log.jsonl", "vocab.json",
                "labels.json", "job.conf", "provenance.json"))
            assertTrue(fs.getFileStatus(new org.apache.hadoop.fs.Path(dir, file)).getLen() > 0, file + " in " + dir);
        assertEquals(List.of(dir.getName()), published(name), "exactly one published run, no .incomplete- leftover");
    }

    /** Every entry of the job's output directory {@code /runs/NAME/sms-slice}, hidden ones included. */
    List<String> published(String name) throws IOException {
        return names(listOrEmpty("/runs/" + name + "/" + JOB_NAME), n -> true);
    }

    FileStatus[] listOrEmpty(String dir) throws IOException {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(dir);
        return fs.exists(p) ? fs.listStatus(p) : new FileStatus[0];
    }

    static List<String> names(FileStatus[] statuses, Predicate<String> keep) {
        return Arrays.stream(statuses).map(s -> s.getPath().getName()).filter(keep).sorted().toList();
    }

    void elapsed(String what, long startNanos) {
        System.out.printf(Locale.ROOT, "[%s] %s: %.1f s%n", label, what, (System.nanoTime() - startNanos) / 1e9);
    }
}
