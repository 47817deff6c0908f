package io.recur.cli;

import io.recur.registry.CorpusFingerprint;
import io.recur.registry.Lease;
import io.recur.registry.Lineage;
import io.recur.registry.MetricComparison;
import io.recur.registry.Outcome;
import io.recur.registry.Registry;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("recur registry and retrain on the command line (no Spark)")
class RegistryCommandTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream savedErr, savedOut;
    @TempDir
    java.nio.file.Path root;
    Registry registry;

    @BeforeEach
    void captureAndPublishTwoVersions() throws IOException {
        savedErr = System.err;
        savedOut = System.out;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        registry = Registry.open(root.toString(), "spam", new Configuration());
        for (double accuracy : new double[]{0.90, 0.93}) {
            java.nio.file.Path run = Files.createDirectories(root.resolve("spam/.staging/run-" + accuracy));
            Files.writeString(run.resolve("metrics.json"), "{\"heldOut\": {\"accuracy\": " + accuracy + "}}");
            MetricComparison c = new MetricComparison("accuracy", true, accuracy, Double.NaN, 0);
            String v = registry.publish(new Path(run.toUri()), new Lineage(null, "spam", registry.champion().orElse(null),
                    Outcome.PROMOTED, c.reason(), null, "0.1", "abc", "run", Map.of(), c, Map.of(),
                    new CorpusFingerprint("d", List.of())));
            registry.promote(v, "test");
        }
    }

    @AfterEach
    void restore() {
        System.setErr(savedErr);
        System.setOut(savedOut);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private int registry(String... args) {
        String[] all = new String[args.length + 5];
        all[0] = "registry";
        System.arraycopy(args, 0, all, 1, args.length);
        System.arraycopy(new String[]{"--registry", root.toString(), "--model", "spam"}, 0, all, args.length + 1, 4);
        return Main.run(all);
    }

    @Test
    void listMarksTheChampionAndShowsTheMetric() {
        assertEquals(ExitCodes.OK, registry("list"));
        String line = stdout().lines().filter(l -> l.startsWith("v000002")).findFirst().orElseThrow();
        assertTrue(line.matches("v000002\\s+\\*\\s+promoted\\s+accuracy 0\\.9300.*"), line);
    }

    @Test
    void showPrintsLineageAndMetricsOfTheChampion() {
        assertEquals(ExitCodes.OK, registry("show"));
        assertTrue(stdout().contains("\"version\" : \"v000002\"") && stdout().contains("\"heldOut\""), stdout());
    }

    @Test
    void rollbackReturnsToThePreviousChampion() {
        assertEquals(ExitCodes.OK, registry("rollback"));
        assertEquals("v000001", registry.champion().orElseThrow());
        assertTrue(stdout().contains("champion: v000001 (was v000002)"), stdout());
    }

    @Test
    void rollbackTwiceStepsBackTwiceThenRefuses() throws IOException {
        java.nio.file.Path run = Files.createDirectories(root.resolve("spam/.staging/run-third"));
        Files.writeString(run.resolve("metrics.json"), "{\"heldOut\": {\"accuracy\": 0.95}}");
        MetricComparison c = new MetricComparison("accuracy", true, 0.95, 0.93, 0);
        registry.promote(registry.publish(new Path(run.toUri()), new Lineage(null, "spam", "v000002", Outcome.PROMOTED,
                c.reason(), null, "0.1", "abc", "run", Map.of(), c, Map.of(), new CorpusFingerprint("d", List.of()))), "test");

        assertEquals(ExitCodes.OK, registry("rollback"));
        assertEquals("v000002", registry.champion().orElseThrow());
        assertEquals(ExitCodes.OK, registry("rollback"));
        assertEquals("v000001", registry.champion().orElseThrow());
        assertEquals(ExitCodes.BAD_INPUT, registry("rollback"));
        assertEquals("v000001", registry.champion().orElseThrow());
    }

    @Test
    void everySubcommandRefusesAModelNameOutsideTheRegistry() {
        // A name of this test's own beside the root: a shared one such as ../x may exist already.
        String outside = "../" + root.getFileName() + "-outside";
        for (String command : List.of("list", "show", "rollback")) {
            assertEquals(ExitCodes.BAD_INPUT, Main.run("registry", command, "--registry", root.toString(), "--model", outside),
                    command);
        }
        assertEquals(ExitCodes.BAD_INPUT, Main.run("registry", "promote", "v000001", "--registry", root.toString(),
                "--model", outside));
        assertTrue(!Files.exists(root.resolve(outside)), "nothing created outside the root");
    }

    @Test
    void listOfANonexistentRegistryExitsWithTwoNamingIt() {
        assertEquals(ExitCodes.BAD_INPUT, Main.run("registry", "list", "--registry", root.resolve("nope").toString(),
                "--model", "spam"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("recur: registry " + root.resolve("nope")),
                err.toString(StandardCharsets.UTF_8));
        assertEquals("", stdout());
    }

    @Test
    void listOfARegistryThatIsAFileExitsWithTwoNamingIt() throws IOException {
        java.nio.file.Path file = Files.writeString(root.resolve("not-a-registry"), "x");
        assertEquals(ExitCodes.BAD_INPUT, Main.run("registry", "list", "--registry", file.toString(), "--model", "spam"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("recur: registry " + file + " is a file"),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void promoteMakesAVersionChampion() {
        registry("rollback");
        assertEquals(ExitCodes.OK, registry("promote", "v000002"));
        assertEquals("v000002", registry.champion().orElseThrow());
    }

    @Test
    void promoteExitsWithTheLeaseCodeWhileARetrainHoldsTheLease() {
        try (Lease held = registry.lease(Duration.ofHours(1), "retrain")) {
            assertEquals(ExitCodes.LEASE_HELD, registry("promote", "v000001"));
        }
        assertEquals("v000002", registry.champion().orElseThrow());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("(retrain)"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void promoteOfAnUnknownVersionExitsWithTwo() {
        assertEquals(ExitCodes.BAD_INPUT, registry("promote", "v000042"));
    }

    @Test
    void retrainWithoutARegistryExitsWithTwoNamingTheKey() {
        assertEquals(ExitCodes.BAD_INPUT, Main.run("retrain", "src/test/resources/jobs/sms-slice.conf"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("registry.dir"), err.toString(StandardCharsets.UTF_8));
    }
}
