package io.recur.cli;

import io.recur.testing.Tmpfs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A training run whose output directory is on a real file system that fills up while the run is
 * written: a 1 MiB tmpfs, mounted for this class. Mounting needs root and a kernel that allows it;
 * elsewhere the test is skipped and says why.
 */
@Tag("spark")
@DisplayName("train onto a full disk")
class DiskFullTest {
    private static Path mount;

    @BeforeAll
    static void mountSmallTmpfs() throws IOException, InterruptedException {
        mount = Tmpfs.mountOrSkip("size=1m", "a full disk");
    }

    @AfterAll
    static void unmount() throws IOException, InterruptedException {
        Tmpfs.unmount(mount);
    }

    @Test
    void exitsWithFourNamingTheFileAndLeavesNothing() throws IOException {
        // Leave room for the small files and the probe that checks the output is writable, not for the model.
        Files.write(mount.resolve("filler"), new byte[(1 << 20) - (96 << 10)]);
        Path output = mount.resolve("runs");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = Main.run("train", "src/test/resources/jobs/sms-slice.conf", "--master", "local[1]",
                    "--set", "output.dir=" + output, "--set", "train.epochs=1", "--set", "train.workers=1");
        } finally {
            System.setErr(saved);
        }
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertEquals(ExitCodes.IO, code, stderr);
        // Spark's logging may start in this test and write its own lines first; recur's is the first of its own.
        String first = stderr.lines().filter(l -> l.startsWith("recur: ")).findFirst().orElse("");
        assertTrue(first.contains("No space left on device") && first.contains(output + "/sms-slice/"), stderr);
        assertFalse(stderr.lines().anyMatch(l -> l.startsWith("\tat ")), "no stack trace:\n" + stderr);
        try (Stream<Path> left = Files.walk(output)) {
            assertEquals(List.of(), left.filter(p -> !Files.isDirectory(p) || p.getFileName().toString().startsWith("."))
                    .toList(), "nothing half-written is left");
        }
    }
}
