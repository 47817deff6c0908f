package io.recur.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recur.run.SavedRun;
import io.recur.registry.Registry;
import io.recur.testing.GrowingCorpus;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
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

/**
 * {@code recur retrain} as real JVMs (this JVM's class path and Spark flags), as a scheduler starts
 * it: two at once, and one killed with SIGKILL in the middle of training.
 */
@Tag("spark")
@DisplayName("recur retrain in separate processes")
class RetrainProcessTest {
    private static final long PROCESS_TIMEOUT_SECONDS = 600;
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path work;

    Process retrain(String name, Path corpus, String... overrides) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Spark's --add-opens flags, as surefire gave them to this JVM.
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
            if (arg.startsWith("--add-opens") || arg.startsWith("-XX:+IgnoreUnrecognizedVMOptions")) command.add(arg);
        command.addAll(List.of("-Xmx1500m", "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + Path.of("scripts/log4j2-local.properties").toAbsolutePath(),
                "-Dorg.deeplearning4j.spark.time.TimeSource=org.deeplearning4j.spark.time.SystemClockTimeSource",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "retrain", "src/test/resources/jobs/sms-retrain.conf", "--master", "local[2]",
                "--result", work.resolve(name + ".json").toString(),
                "--set", "corpus.path=\"" + corpus + "\"",
                "--set", "registry.dir=\"" + work.resolve("registry") + "\""));
        for (String o : overrides) command.addAll(List.of("--set", o));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve(name + ".log").toFile()).start();
    }

    int exitCode(Process p, String name) throws Exception {
        if (!p.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(name + " did not finish in " + PROCESS_TIMEOUT_SECONDS + " s; log:\n" + log(name));
        }
        return p.exitValue();
    }

    String log(String name) throws IOException {
        String text = Files.readString(work.resolve(name + ".log"));
        return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    }

    JsonNode result(String name) throws IOException {
        return JSON.readTree(work.resolve(name + ".json").toFile());
    }

    Registry registry() {
        return Registry.open(work.resolve("registry").toString(), "sms-retrain", new Configuration());
    }

    @Test
    void twoStartedTogetherOneWorksAndTheOtherExitsWithTheLeaseCode() throws Exception {
        GrowingCorpus corpus = new GrowingCorpus(work.resolve("corpus"), 3);
        corpus.addPart();
        Process a = retrain("a", corpus.dir(), "train.epochs=1");
        Process b = retrain("b", corpus.dir(), "train.epochs=1");
        int codeA = exitCode(a, "a");
        int codeB = exitCode(b, "b");

        List<Integer> codes = Stream.of(codeA, codeB).sorted().toList();
        assertEquals(List.of(ExitCodes.OK, ExitCodes.LEASE_HELD), codes, "a:\n" + log("a") + "\nb:\n" + log("b"));
        String loser = codeA == ExitCodes.LEASE_HELD ? "a" : "b";
        assertEquals("lease-held", result(loser).get("status").asText());
        assertEquals(List.of("v000001"), registry().versions());
    }

    @Test
    void aRunKilledMidTrainingResumesAndNeverBecomesAVersion() throws Exception {
        GrowingCorpus corpus = new GrowingCorpus(work.resolve("corpus"), 3);
        corpus.addPart();
        // The default lease term: the killed process's lease is taken over at once because its process is
        // gone, not because it aged. Both runs share the spec, since the resolved spec is part of the checkpoint's key.
        String[] spec = {"train.epochs=3"};
        Process doomed = retrain("killed", corpus.dir(), spec);
        Path checkpoints = work.resolve("registry/sms-retrain/.staging/checkpoints");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PROCESS_TIMEOUT_SECONDS);
        while (!hasCheckpoint(checkpoints)) {
            if (!doomed.isAlive()) fail("the run ended before its first checkpoint; log:\n" + log("killed"));
            if (System.nanoTime() > deadline) {
                doomed.destroyForcibly();
                fail("no checkpoint in " + checkpoints + " after " + PROCESS_TIMEOUT_SECONDS + " s");
            }
            Thread.sleep(200);
        }
        doomed.destroyForcibly().waitFor();
        assertEquals(List.of(), registry().versions(), "the killed run must not be a version");
        assertTrue(Files.exists(work.resolve("registry/sms-retrain/lease")), "SIGKILL left the lease behind");

        int code = exitCode(retrain("resumed", corpus.dir(), spec), "resumed");

        assertEquals(ExitCodes.OK, code, log("resumed"));
        JsonNode result = result("resumed");
        assertEquals("promoted", result.get("status").asText());
        assertTrue(result.get("resumedFromEpoch").asInt() >= 1, result.toString());
        Registry registry = registry();
        assertEquals(List.of("v000001"), registry.versions());
        assertEquals(Boolean.TRUE, registry.lineage("v000001").training().get("resumed"));
        assertEquals(3, registry.lineage("v000001").training().get("epochs"), "every epoch, the killed run's included");
        assertEquals("sms-retrain", SavedRun.read(registry.versionDir("v000001").toString(), new Configuration())
                .spec().name());
        assertFalse(Files.exists(work.resolve("registry/sms-retrain/.staging")));
    }

    /** A complete checkpoint: CheckpointStore renames {@code epoch-NNNNNN-<key>/} into place when it is whole. */
    private static boolean hasCheckpoint(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return false;
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.anyMatch(p -> Files.isDirectory(p) && p.getFileName().toString().startsWith("epoch-"));
        }
    }
}
