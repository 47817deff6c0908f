package io.recur.storage;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@link AtomicPublish} and {@link StagedDirectory} promise, on whichever file system a
 * subclass gives: each test works in a fresh directory of its own.
 */
abstract class PublishContract {
    /** The file system under test. */
    abstract FileSystem fs();

    /** A fresh, existing directory on {@link #fs()}. */
    abstract Path freshDir() throws IOException;

    static void write(FileSystem fs, Path file, String content) throws IOException {
        try (OutputStream out = fs.create(file, false)) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
    }

    static String read(FileSystem fs, Path file) throws IOException {
        try (InputStream in = fs.open(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The names in {@code dir} a reader sees: hidden ones (starting with '.') left out. */
    static List<String> visible(FileSystem fs, Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        for (FileStatus s : fs.listStatus(dir)) if (!s.getPath().getName().startsWith(".")) names.add(s.getPath().getName());
        names.sort(null);
        return names;
    }

    @Test
    void renameIfAbsentMovesAFileToAFreeName() throws IOException {
        Path dir = freshDir();
        write(fs(), new Path(dir, "a"), "a");
        assertTrue(AtomicPublish.renameIfAbsent(fs(), new Path(dir, "a"), new Path(dir, "b")));
        assertEquals(List.of("b"), visible(fs(), dir));
        assertEquals("a", read(fs(), new Path(dir, "b")));
    }

    @Test
    void renameIfAbsentRefusesAnExistingFileAndLeavesBothIntact() throws IOException {
        Path dir = freshDir();
        write(fs(), new Path(dir, "a"), "a");
        write(fs(), new Path(dir, "b"), "b");
        assertFalse(AtomicPublish.renameIfAbsent(fs(), new Path(dir, "a"), new Path(dir, "b")));
        assertEquals("a", read(fs(), new Path(dir, "a")));
        assertEquals("b", read(fs(), new Path(dir, "b")));
    }

    @Test
    void renameIfAbsentRefusesToMoveADirectoryIntoAnExistingOne() throws IOException {
        Path dir = freshDir();
        write(fs(), new Path(dir, "new/model.zip"), "new");
        write(fs(), new Path(dir, "v000001/model.zip"), "old");
        assertFalse(AtomicPublish.renameIfAbsent(fs(), new Path(dir, "new"), new Path(dir, "v000001")));
        assertEquals(List.of("model.zip"), visible(fs(), new Path(dir, "v000001")), "nothing moved into the target");
        assertEquals("old", read(fs(), new Path(dir, "v000001/model.zip")));
        assertEquals("new", read(fs(), new Path(dir, "new/model.zip")));
    }

    @Test
    void renameIfAbsentReportsAVanishedSource() throws IOException {
        Path dir = freshDir();
        assertFalse(AtomicPublish.renameIfAbsent(fs(), new Path(dir, "gone"), new Path(dir, "b")));
        assertEquals(List.of(), visible(fs(), dir));
    }

    @Test
    void writeIfAbsentRefusesAnExistingFileAndLeavesNoHiddenFile() throws IOException {
        Path dir = freshDir();
        Path pointer = new Path(dir, "champion-000001.json");
        assertTrue(AtomicPublish.writeIfAbsent(fs(), pointer, "first".getBytes(StandardCharsets.UTF_8)));
        assertFalse(AtomicPublish.writeIfAbsent(fs(), pointer, "second".getBytes(StandardCharsets.UTF_8)));
        assertEquals("first", read(fs(), pointer));
        assertEquals(1, fs().listStatus(dir).length, "only the pointer: the refused write's hidden file is gone");
    }

    @Test
    void replaceSwapsTheContentOfAnExistingFile() throws IOException {
        Path dir = freshDir();
        Path result = new Path(dir, "result.json");
        AtomicPublish.replace(fs(), result, "one".getBytes(StandardCharsets.UTF_8));
        AtomicPublish.replace(fs(), result, "two".getBytes(StandardCharsets.UTF_8));
        assertEquals("two", read(fs(), result));
        assertEquals(1, fs().listStatus(dir).length);
    }

    @Test
    void stagedDirectoryIsInvisibleUntilPublished() throws IOException {
        Path dir = freshDir();
        StagedDirectory staged = StagedDirectory.create(fs(), new Path(dir, "epoch-000001"));
        staged.write("model.zip", new byte[] {1, 2, 3});
        assertEquals(List.of(), visible(fs(), dir));
        assertEquals(new Path(dir, "epoch-000001"), staged.publish());
        assertEquals(List.of("epoch-000001"), visible(fs(), dir));
        assertEquals(3, fs().getFileStatus(new Path(dir, "epoch-000001/model.zip")).getLen());
    }

    @Test
    void stagedDirectoryPublishedOntoAnExistingTargetIsRefusedAndBothStay() throws IOException {
        Path dir = freshDir();
        write(fs(), new Path(dir, "v000001/model.zip"), "old");
        StagedDirectory staged = StagedDirectory.create(fs(), new Path(dir, "v000001"));
        staged.write("model.zip", "new".getBytes(StandardCharsets.UTF_8));
        var refused = assertThrows(org.apache.hadoop.fs.FileAlreadyExistsException.class, staged::publish);
        assertTrue(refused.getMessage().contains(new Path(dir, "v000001").toUri().getPath()), refused.getMessage());
        assertEquals("old", read(fs(), new Path(dir, "v000001/model.zip")));
        assertEquals(List.of("model.zip"), visible(fs(), new Path(dir, "v000001")));
        assertEquals("new", read(fs(), new Path(staged.path(), "model.zip")));
    }

    @Test
    void shaOfAStreamMatchesShaOfItsBytes() throws IOException {
        Path dir = freshDir();
        write(fs(), new Path(dir, "f"), "abc");
        try (InputStream in = fs().open(new Path(dir, "f"))) {
            Sha256.Sized sized = Sha256.of(in);
            assertEquals(3, sized.bytes());
            // FIPS 180-2, appendix B.1
            assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", sized.sha256());
            assertEquals(sized.sha256(), Sha256.hex("abc"));
        }
    }
}
