package io.recur.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A small real file system mounted for one test class (a full disk, a read-only one). Mounting needs
 * root and a kernel that allows it; elsewhere the calling test is skipped with the reason.
 */
public final class Tmpfs {
    private Tmpfs() {}

    /**
     * Mounts a tmpfs with {@code options} (e.g. {@code size=1m}) on a new temporary directory, or
     * aborts the test, saying it needs {@code purpose}.
     */
    public static Path mountOrSkip(String options, String purpose) throws IOException, InterruptedException {
        Path mount = Files.createTempDirectory("recur-tmpfs-");
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        boolean mounted = p.waitFor() == 0;
        if (!mounted) Files.deleteIfExists(mount);
        assumeTrue(mounted, "skipped: " + purpose + " needs a tmpfs, and 'mount -t tmpfs -o " + options + "' failed"
                + " here (it needs root and a kernel that allows mounts): " + output);
        return mount;
    }

    /** Unmounts what {@link #mountOrSkip} mounted; nothing when it was skipped. */
    public static void unmount(Path mount) throws IOException, InterruptedException {
        if (mount == null) return;
        new ProcessBuilder("umount", mount.toString()).inheritIO().start().waitFor();
        Files.deleteIfExists(mount);
    }
}
