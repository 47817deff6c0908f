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
 * A training run whose output directory is on a read-only file system: a tmpfs mounted read-only
 * for this class (file permissions would not stop root, who runs the suite here). Elsewhere the
 * test is skipped and says why.
 */
@Tag("spark")
@DisplayName("train into a read-only output directory")
class ReadOnlyOutputTest {
    private static Path mount;

    @BeforeAll
    static void mountReadOnlyTmpfs() throws IOException, InterruptedException {
        mount = Tmpfs.mountOrSkip("ro,size=1m", "a read-only output");
    }

    @AfterAll
    static void unmount() throws IOException, InterruptedException {
        Tmpfs.unmount(mount);
    }

    @Test
    void exitsWithTwoNamingOutputDirAndTheDirectoryAndLeavesNothing() throws IOException {
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
        assertEquals(ExitCodes.BAD_INPUT, code, stderr);
        String first = stderr.lines().filter(l -> l.startsWith("recur: ")).findFirst().orElse("");
        assertTrue(first.startsWith("recur: output.dir: cannot write under " + output), stderr);
        assertFalse(stderr.lines().anyMatch(l -> l.startsWith("\tat ")), "no stack trace:\n" + stderr);
        try (Stream<Path> left = Files.list(mount)) {
            assertEquals(List.of(), left.toList());
        }
    }
}
