package io.recur.cli;

import io.recur.testing.GrowingCorpus;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * SIGTERM and SIGINT sent to a real {@code recur} JVM in the middle of training: the exit code of the
 * signal, one {@code recur: interrupted} line and no stack trace, no hidden run directory left, the
 * registry's lease released.
 */
@Tag("spark")
@DisplayName("recur interrupted by a signal, in a separate process")
class SignalTest {
    private static final long START_TIMEOUT_SECONDS = 120;
    private static final long EXIT_TIMEOUT_SECONDS = 30;
    @TempDir
    Path work;

    /** {@code recur <args>} in a JVM of this test's class path and Spark flags, stdout and stderr to files. */
    Process recur(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
            if (arg.startsWith("--add-opens") || arg.startsWith("-XX:+IgnoreUnrecognizedVMOptions")) command.add(arg);
        command.addAll(List.of("-Xmx1g", "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + Path.of("scripts/log4j2-local.properties").toAbsolutePath(),
                "-Dorg.deeplearning4j.spark.time.TimeSource=org.deeplearning4j.spark.time.SystemClockTimeSource",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectOutput(work.resolve("stdout").toFile())
                .redirectError(work.resolve("stderr").toFile()).start();
    }

    String read(String stream) throws IOException {
        return Files.readString(work.resolve(stream), StandardCharsets.UTF_8);
    }

    /** Waits until {@code stream} shows {@code text}: training has started. */
    void awaitTraining(Process p, String stream, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        while (!read(stream).contains(text)) {
            if (!p.isAlive()) fail("recur ended before training started:\n" + read("stderr"));
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                fail("no '" + text + "' after " + START_TIMEOUT_SECONDS + " s:\n" + read("stderr"));
            }
            Thread.sleep(100);
        }
        Thread.sleep(1000);
    }

    int exitCode(Process p) throws Exception {
        if (!p.waitFor(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("recur did not end within " + EXIT_TIMEOUT_SECONDS + " s of the signal:\n" + read("stderr"));
        }
        return p.exitValue();
    }

    /** What recur printed on stderr from the signal on: exactly one line, the interruption's. */
    void assertOneInterruptedLine(String signal, int stderrBefore) throws IOException {
        String all = read("stderr");
        String after = all.substring(Math.min(stderrBefore, all.length()));
        List<String> recurLines = all.lines().filter(l -> l.startsWith("recur: ")).toList();
        assertEquals(1, recurLines.size(), all);
        assertTrue(recurLines.get(0).startsWith("recur: interrupted (" + signal + ")"), all);
        assertTrue(all.stripTrailing().endsWith(recurLines.get(0)), "nothing after the interruption's line:\n" + all);
        assertFalse(after.lines().anyMatch(l -> l.startsWith("\tat ") || l.contains("Exception")),
                "no stack trace:\n" + after);
    }

    @Test
    void sigtermDuringTrainExits143AndLeavesNoHiddenRun() throws Exception {
        Path out = work.resolve("runs");
        Process p = recur("train", "src/test/resources/jobs/sms-slice.conf", "--master", "local[1]",
                "--set", "output.dir=\"" + out + "\"", "--set", "train.workers=1",
                "--set", "train.epochs=1000", "--set", "train.patience=0");
        awaitTraining(p, "stdout", "training data:");
        assertTrue(hidden(out).size() == 1, "training runs in a hidden directory");
        int before = read("stderr").length();

        p.destroy();

        assertEquals(143, exitCode(p), read("stderr"));
        assertOneInterruptedLine("SIGTERM", before);
        assertEquals(List.of(), hidden(out), "the hidden run directory is discarded");
        assertFalse(Files.exists(out.resolve("sms-slice")), "the job directory this run made is gone too");
    }

    /**
     * Whether this JVM was started with SIGINT ignored, as a shell's background job
     * ({@code (mvn test &)}) is. recur inherits that, and a JVM does not handle a signal it was
     * started ignoring, which is right for a user's nohup'd run but leaves nothing to test here.
     */
    static boolean sigintIgnored() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) return false;
        for (String line : Files.readAllLines(status))
            if (line.startsWith("SigIgn:")) return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << 1)) != 0;
        return false;
    }

    @Test
    void sigintDuringRetrainExits130AndReleasesTheLease() throws Exception {
        assumeFalse(sigintIgnored(), "this test runs with SIGINT ignored (a background job), which recur inherits");
        GrowingCorpus corpus = new GrowingCorpus(work.resolve("corpus"), 3);
        corpus.addPart();
        Path registry = work.resolve("registry");
        Process p = recur("retrain", "src/test/resources/jobs/sms-retrain.conf", "--master", "local[1]",
                "--set", "corpus.path=\"" + corpus.dir() + "\"", "--set", "registry.dir=\"" + registry + "\"",
                "--set", "train.workers=1", "--set", "train.epochs=1000");
        // retrain prints training progress on stderr.
        awaitTraining(p, "stderr", "training data:");
        Path lease = registry.resolve("sms-retrain/lease");
        assertTrue(Files.exists(lease), "the retrain holds the lease");
        int before = read("stderr").length();

        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();

        assertEquals(130, exitCode(p), read("stderr"));
        assertOneInterruptedLine("SIGINT", before);
        assertFalse(Files.exists(lease), "the lease is released");
        assertEquals(List.of(), hidden(registry), "the hidden run directory is discarded");
    }

    @Test
    void sigtermDuringScoreExits143AndLeavesNoStagedOutput() throws Exception {
        Path model = Path.of(io.recur.job.UntrainedRuns.publish(
                io.recur.job.UntrainedRuns.classifier(List.of("free", "prize", "call")), work.resolve("model")));
        Path input = work.resolve("lines.txt");
        Files.write(input, java.util.Collections.nCopies(400_000, "free prize call now"), StandardCharsets.UTF_8);
        Path out = work.resolve("scored");
        Process p = recur("score", "--model", model.toString(), "--input", input.toString(), "--output", out.toString(),
                "--master", "local[1]");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        while (hidden(work).isEmpty()) {
            if (!p.isAlive()) fail("score ended before it wrote:\n" + read("stderr"));
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                fail("no staged output after " + START_TIMEOUT_SECONDS + " s:\n" + read("stderr"));
            }
            Thread.sleep(100);
        }
        int before = read("stderr").length();

        p.destroy();

        assertEquals(143, exitCode(p), read("stderr"));
        assertOneInterruptedLine("SIGTERM", before);
        assertEquals(List.of(), hidden(work), "the staged output is discarded");
        assertFalse(Files.exists(out), "no output is published");
    }

    /** Every {@code .incomplete-*} directory under {@code root}. */
    private static List<Path> hidden(Path root) throws IOException {
        if (!Files.exists(root)) return List.of();
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.getFileName().toString().startsWith(".incomplete-")).toList();
        }
    }
}
