package io.recur.storage;

import io.recur.cluster.LocalHdfs;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("atomic publish on HDFS (MiniDFSCluster)")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PublishOnHdfsTest extends PublishContract {
    MiniDFSCluster hdfs;
    FileSystem fs;
    int dirs;

    @BeforeAll
    void startHdfs(@TempDir java.nio.file.Path dataDir) throws IOException {
        hdfs = LocalHdfs.start(dataDir, 1, 0);
        fs = Storage.fileSystem(new Path("hdfs://127.0.0.1:" + hdfs.getNameNodePort() + "/"), hdfs.getConfiguration(0));
    }

    @AfterAll
    void stop() {
        if (hdfs != null) hdfs.shutdown();
    }

    @Override
    FileSystem fs() {
        return fs;
    }

    @Override
    Path freshDir() throws IOException {
        Path dir = new Path("/d" + (dirs++));
        fs.mkdirs(dir);
        return fs.makeQualified(dir);
    }

    @Test
    void hadoopsOwnRenameWouldMoveADirectoryIntoAnExistingOne() throws IOException {
        // Why AtomicPublish exists: if this ever fails, HDFS changed and the guard can be revisited.
        Path dir = freshDir();
        write(fs, new Path(dir, "new/model.zip"), "new");
        write(fs, new Path(dir, "v000001/model.zip"), "old");
        assertTrue(fs.rename(new Path(dir, "new"), new Path(dir, "v000001")));
        assertEquals(List.of("model.zip", "new"), visible(fs, new Path(dir, "v000001")));
    }

    @Test
    void aWriterThatDiesBetweenWritingAndRenamingLeavesNoVisibleDirectory() throws IOException {
        Path dir = freshDir();
        // A client of its own, abandoned with a file open: as a process that died mid-write.
        FileSystem writer = FileSystem.newInstance(fs.getUri(), hdfs.getConfiguration(0));
        StagedDirectory staged = StagedDirectory.create(writer, new Path(dir, "v000001"));
        staged.write("vocab.json", "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        OutputStream open = staged.create("model.zip");
        open.write(new byte[4096]);
        open.flush();
        assertEquals(List.of(), visible(fs, dir), "only the hidden staged directory is there");
        assertEquals(1, fs.listStatus(dir).length);
        StagedDirectory next = StagedDirectory.create(fs, new Path(dir, "v000001"));
        next.write("model.zip", new byte[] {7});
        next.publish();
        assertEquals(List.of("v000001"), visible(fs, dir));
        assertEquals(List.of("model.zip"), visible(fs, new Path(dir, "v000001")));
    }
}
