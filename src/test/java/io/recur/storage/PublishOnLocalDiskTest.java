package io.recur.storage;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("atomic publish on the local disk")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PublishOnLocalDiskTest extends PublishContract {
    @TempDir
    java.nio.file.Path temp;
    FileSystem fs;
    int dirs;

    @BeforeAll
    void openLocal() throws IOException {
        fs = Storage.fileSystem(new Path("file:///"), new Configuration());
    }

    @Override
    FileSystem fs() {
        return fs;
    }

    @Override
    Path freshDir() throws IOException {
        java.nio.file.Path dir = Files.createDirectories(temp.resolve("d" + (dirs++)));
        return new Path(dir.toUri());
    }

    @Test
    void theLocalFileSystemIsTheRawOne() {
        assertInstanceOf(RawLocalFileSystem.class, fs);
    }

    @Test
    void publishingThroughTheChecksummedLocalFileSystemStillRefusesAnExistingFile() throws IOException {
        // Hadoop's own rename on the local disk (File.renameTo) would replace b.
        FileSystem checksummed = FileSystem.getLocal(new Configuration());
        Path dir = freshDir();
        write(fs, new Path(dir, "a"), "a");
        write(fs, new Path(dir, "b"), "b");
        assertFalse(AtomicPublish.renameIfAbsent(checksummed, new Path(dir, "a"), new Path(dir, "b")));
        assertEquals("b", read(fs, new Path(dir, "b")));
    }

    @Test
    void aProcessKilledBetweenWritingAndRenamingLeavesNoVisibleDirectory() throws Exception {
        Path dir = freshDir();
        Process writer = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), StagedWriter.class.getName(), dir.toString(), "v000001")
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals(StagedWriter.WRITTEN, out.readLine(), "the writer wrote its files");
            writer.destroyForcibly();
            assertTrue(writer.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(List.of(), visible(fs, dir), "only the hidden staged directory is left");
        assertEquals(1, fs.listStatus(dir).length);
        assertTrue(fs.listStatus(dir)[0].getPath().getName().startsWith(StagedDirectory.PREFIX));
        // The leftover does not stand in the way of the next writer.
        StagedDirectory next = StagedDirectory.create(fs, new Path(dir, "v000001"));
        next.write("model.zip", new byte[] {7});
        next.publish();
        assertEquals(List.of("v000001"), visible(fs, dir));
    }

    /** Stages a directory with one half-written file and one whole one, then waits to be killed. */
    static final class StagedWriter {
        static final String WRITTEN = "written";

        public static void main(String[] args) throws Exception {
            FileSystem fs = Storage.fileSystem(new Path(args[0]), new Configuration());
            StagedDirectory staged = StagedDirectory.create(fs, new Path(args[0], args[1]));
            staged.write("vocab.json", "{}".getBytes(StandardCharsets.UTF_8));
            var open = staged.create("model.zip");
            open.write(new byte[4096]);
            open.flush();
            System.out.println(WRITTEN);
            System.out.flush();
            Thread.sleep(60_000);
        }
    }
}
