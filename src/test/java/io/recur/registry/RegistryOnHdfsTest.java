package io.recur.registry;

import io.recur.cluster.LocalHdfs;
import io.recur.config.JobSpec;
import io.recur.config.JobSpecLoader;
import io.recur.job.RetrainJob;
import io.recur.run.SavedRun;
import io.recur.storage.ProcessIdentity;
import io.recur.testing.GrowingCorpus;
import io.recur.testing.LocalSpark;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry, its lease and a retrain round with the registry on a real (in-process) HDFS. */
@Tag("spark")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Registry on HDFS (MiniDFSCluster)")
class RegistryOnHdfsTest {
    MiniDFSCluster hdfs;
    String root;
    Configuration conf;
    JavaSparkContext sc;

    @BeforeAll
    void startHdfsAndSpark(@TempDir java.nio.file.Path dataDir) throws IOException {
        hdfs = LocalHdfs.start(dataDir, 1, 0);
        conf = hdfs.getConfiguration(0);
        root = "hdfs://127.0.0.1:" + hdfs.getNameNodePort() + "/registry";
        sc = LocalSpark.start(RegistryOnHdfsTest.class);
    }

    @AfterAll
    void stop() {
        if (sc != null) sc.stop();
        if (hdfs != null) hdfs.shutdown();
    }

    @Test
    void exactlyOneOfRacingThreadsGetsTheLease() throws Exception {
        FileSystem fs = new Path(root).getFileSystem(conf);
        Path lease = new Path(root, "race/lease");
        LeaseTest.assertExactlyOneWinner(() -> Lease.acquire(fs, lease, Duration.ofHours(1), "racer", Clock.systemUTC()));
    }

    @Test
    void aStaleLeaseIsTakenOver() throws IOException {
        FileSystem fs = new Path(root).getFileSystem(conf);
        Path lease = new Path(root, "stale/lease");
        Instant then = Instant.parse("2026-01-01T00:00:00Z");
        Lease.acquire(fs, lease, Duration.ofHours(1), "crashed", Clock.fixed(then, ZoneOffset.UTC),
                new ProcessIdentity("another-host.example", 4242, null, null));
        try (Lease taker = Lease.acquire(fs, lease, Duration.ofHours(1), "taker",
                Clock.fixed(then.plus(Duration.ofHours(2)), ZoneOffset.UTC))) {
            assertEquals(taker.info().token(), Lease.read(fs, lease, Duration.ofHours(1)).token());
        }
    }

    @Test
    void promotesAndRollsBackThroughPointerFiles() throws IOException {
        Registry registry = Registry.open(root, "pointers", conf);
        FileSystem fs = new Path(root).getFileSystem(conf);
        List<String> versions = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path staged = new Path(registry.stagingDir(), "run-" + i);
            write(fs, new Path(staged, "model.zip"), "weights " + i);
            versions.add(registry.publish(staged, RegistryTest.draft(Outcome.PROMOTED, null)));
            registry.promote(versions.get(i), "test");
        }
        registry.rollback("by hand");
        assertEquals("v000002", registry.champion().orElseThrow());
        assertEquals(List.of("v000001", "v000002", "v000003"), registry.versions());
        registry.writeResult(Map.of("status", "one"));
        registry.writeResult(Map.of("status", "two"));
        assertTrue(new String(fs.open(registry.resultFile()).readAllBytes()).contains("two"));
    }

    @Test
    void aRetrainRoundPublishesTheChampionOnHdfs(@TempDir java.nio.file.Path work) throws IOException {
        GrowingCorpus corpus = new GrowingCorpus(work.resolve("corpus"), 3);
        corpus.addPart();
        JobSpec spec = JobSpecLoader.load(java.nio.file.Path.of("src/test/resources/jobs/sms-retrain.conf"),
                List.of("corpus.path=\"" + corpus.dir() + "\"", "registry.dir=\"" + root + "\"", "train.epochs=1"));
        RetrainJob.RetrainResult r = new RetrainJob(spec, new PrintStream(new ByteArrayOutputStream()), false).run(sc);

        assertEquals(RetrainJob.Status.PROMOTED, r.status(), r.line());
        Registry registry = Registry.open(root, "sms-retrain", conf);
        assertEquals("v000001", registry.champion().orElseThrow());
        SavedRun v1 = SavedRun.read(registry.versionDir("v000001").toString(), conf);
        assertEquals("sms-retrain", v1.spec().name());
        assertFalse(registry.versionDir("v000001").getFileSystem(conf).exists(registry.stagingDir()));
    }

    private static void write(FileSystem fs, Path file, String text) throws IOException {
        try (OutputStream out = fs.create(file, false)) {
            out.write(text.getBytes());
        }
    }
}
