package io.recur.cli;

import io.recur.job.UntrainedRuns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@code recur serve} refuses before it listens: exit 2 and one line naming what to change. */
@DisplayName("recur serve start-up errors")
class ServeCommandTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedErr;
    @TempDir
    Path work;

    @BeforeEach
    void capture() {
        savedErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(savedErr);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private void assertOneLine(String expected) {
        List<String> lines = stderr().lines().filter(l -> l.startsWith("recur: ")).toList();
        assertEquals(1, lines.size(), stderr());
        assertTrue(lines.get(0).contains(expected), stderr());
        assertFalse(stderr().contains("\tat "), stderr());
    }

    @Test
    void refusesAMissingRunDirectory() {
        assertEquals(ExitCodes.BAD_INPUT, Main.run("serve", "--model", work.resolve("no-run").toString(), "--port", "0"));
        assertOneLine("no model.zip there");
    }

    @Test
    void refusesAPortInUse() throws Exception {
        String model = UntrainedRuns.publish(UntrainedRuns.classifier(List.of("free", "prize")), work.resolve("runs"));
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertEquals(ExitCodes.BAD_INPUT, Main.run("serve", "--model", model, "--port", Integer.toString(port)));
            assertOneLine("--port " + port + " on 127.0.0.1");
        }
    }

    @Test
    void refusesAnAddressOfAnotherMachine() {
        String model = UntrainedRuns.publish(UntrainedRuns.classifier(List.of("free", "prize")), work.resolve("runs"));
        // TEST-NET-3 (RFC 5737): never an address of this machine.
        assertEquals(ExitCodes.BAD_INPUT, Main.run("serve", "--model", model, "--host", "203.0.113.7", "--port", "0"));
        assertOneLine("--host 203.0.113.7: cannot listen there");
    }

    @Test
    void refusesARegistryModelWithoutAChampion() throws Exception {
        java.nio.file.Files.createDirectories(work.resolve("spam"));
        assertEquals(ExitCodes.BAD_INPUT, Main.run("serve", "--registry", work.toString(), "--name", "spam", "--port", "0"));
        assertOneLine("has no champion");
    }

    @Test
    void refusesZeroThreads() {
        assertEquals(ExitCodes.BAD_INPUT, Main.run("serve", "--model", "runs/x", "--threads", "0"));
        assertOneLine("--threads 0");
    }
}
