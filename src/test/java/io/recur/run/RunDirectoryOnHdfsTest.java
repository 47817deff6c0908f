package io.recur.run;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import io.recur.cluster.LocalHdfs;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Run ids on HDFS, where {@code mkdirs} of an existing directory succeeds: the owner file claims the id. */
@Tag("spark")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("RunDirectory on HDFS (MiniDFSCluster)")
class RunDirectoryOnHdfsTest {
    MiniDFSCluster hdfs;
    Configuration conf;
    FileSystem fs;
    int outputs;

    @BeforeAll
    void startHdfs(@TempDir java.nio.file.Path dataDir) throws IOException {
        hdfs = LocalHdfs.start(dataDir, 1, 0);
        conf = hdfs.getConfiguration(0);
        fs = hdfs.getFileSystem();
    }

    @AfterAll
    void stop() {
        if (hdfs != null) hdfs.shutdown();
    }

    /** A fresh output directory. */
    String output() {
        return "hdfs://127.0.0.1:" + hdfs.getNameNodePort() + "/runs-" + (outputs++);
    }

    RunDirectory create(String output, String... ids) {
        Iterator<String> next = List.of(ids).iterator();
        return RunDirectory.create(output, "job", conf, next::next);
    }

    @Test
    void takesAnotherIdWhenAnotherRunIsWritingThatId() throws IOException {
        String output = output();
        RunDirectory first = create(output, "a");
        RunDirectory second = create(output, "a", "b");
        assertEquals("b", second.runId());
        assertTrue(fs.exists(new Path(output, "job/.incomplete-a/" + RunDirectory.OWNER)), "the first run's claim stays");
        first.discard();
        second.discard();
    }

    @Test
    void takesAnotherIdWhenARunWithThatIdWasPublished() throws IOException {
        String output = output();
        fs.mkdirs(new Path(output, "job/a"));
        assertEquals("b", create(output, "a", "b").runId());
    }

    @Test
    void publishesWithoutTheOwnerFileAndNeverOntoAnExistingRun() throws IOException {
        String output = output();
        RunDirectory dir = create(output, "a");
        try (OutputStream o = dir.create("metrics.json")) {
            o.write('1');
        }
        Path published = dir.publish();
        assertTrue(fs.exists(new Path(published, "metrics.json")));
        assertFalse(fs.exists(new Path(published, RunDirectory.OWNER)));
    }

    @Test
    void aDiscardedRunLeavesNoJobDirectory() throws IOException {
        String output = output();
        create(output, "a").discard();
        assertFalse(fs.exists(new Path(output, "job")));
    }
}
