package io.recur.cli;

import io.recur.corpus.CorpusException;
import io.recur.testing.LocalSpark;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@DisplayName("ExitCodes")
class ExitCodesTest {

    @Nested
    @Tag("spark")
    @DisplayName("for a user error raised in a Spark task")
    class TaskErrors {
        /** The SparkException of a real local job whose task threw a CorpusException. */
        private static SparkException failedJob() {
            JavaSparkContext sc = LocalSpark.start(ExitCodesTest.class);
            try {
                Exception e = assertThrows(Exception.class, () -> sc.parallelize(List.of(1), 1).foreach(i -> {
                    throw new CorpusException("/data/a.tsv.gz:3: cannot read: java.io.EOFException: Unexpected end of input stream");
                }));
                return assertInstanceOf(SparkException.class, e);
            } finally {
                sc.stop();
            }
        }

        @Test
        void givesTwoAndTheTasksMessageFromTheCause() {
            SparkException e = failedJob();
            assertEquals(ExitCodes.BAD_INPUT, ExitCodes.of(e));
            assertEquals("/data/a.tsv.gz:3: cannot read: java.io.EOFException: Unexpected end of input stream", ExitCodes.message(e));
        }

        @Test
        void givesTwoWhenTheExceptionArrivedOnlyAsText() {
            // As when the executor's exception does not deserialize on the driver: only Spark's message is left.
            SparkException textOnly = new SparkException(failedJob().getMessage());
            assertEquals(ExitCodes.BAD_INPUT, ExitCodes.of(textOnly));
            assertEquals("/data/a.tsv.gz:3: cannot read: java.io.EOFException: Unexpected end of input stream",
                    ExitCodes.message(textOnly));
        }
    }

    @Test
    void givesFiveForASparkFailureThatIsNoUserError() {
        SparkException e = new SparkException("Job aborted due to stage failure: Task 0 in stage 1.0 failed 1 times, most recent"
                + " failure: Lost task 0.0 in stage 1.0 (TID 1) (host executor driver): java.lang.OutOfMemoryError: Java heap space\n"
                + "\tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)\n");
        assertEquals(ExitCodes.SPARK, ExitCodes.of(e));
        assertTrue(ExitCodes.message(e).endsWith("java.lang.OutOfMemoryError: Java heap space"), ExitCodes.message(e));
    }

    @Test
    void namesTheMemorySettingsWhenYarnKilledAnExecutorForItsMemory() {
        // The text Spark 3.5 gives a job whose task lost its executor to YARN's memory monitor.
        SparkException e = new SparkException("Job aborted due to stage failure: Task 1 in stage 44.0 failed 4 times, most"
                + " recent failure: Lost task 1.3 in stage 44.0 (TID 80) (localhost executor 5): ExecutorLostFailure (executor 5"
                + " exited caused by one of the running tasks) Reason: Container killed by YARN for exceeding physical memory"
                + " limits. 551.1 MB of 544 MB physical memory used. Consider boosting spark.executor.memoryOverhead.\n"
                + "Driver stacktrace:\n");
        assertEquals(ExitCodes.SPARK, ExitCodes.of(e));
        String message = ExitCodes.message(e);
        assertTrue(message.startsWith("YARN killed an executor's container for exceeding its physical memory limit"
                + " (551.1 MB of 544 MB physical memory used)"), message);
        for (String setting : List.of("spark.executor.memoryOverhead", "RECUR_EXECUTOR_OVERHEAD", "RECUR_OFFHEAP_MAX", "--executor-memory"))
            assertTrue(message.contains(setting), setting + " in: " + message);
    }

    @Test
    void givesFiveWhenTheClusterStoppedTheSparkContextBetweenJobs() {
        // What SparkContext.assertNotStopped throws once YARN ended the application under the driver.
        IllegalStateException e = new IllegalStateException("Cannot call methods on a stopped SparkContext.\n"
                + "This stopped SparkContext was created at:\n");
        assertEquals(ExitCodes.SPARK, ExitCodes.of(e));
        assertEquals("Cannot call methods on a stopped SparkContext.", ExitCodes.message(e));
    }

    @Test
    void givesFourForAFullDiskReportedByHadoopAsAnError() throws IOException {
        // /dev/full refuses every write with ENOSPC, as a full disk does; the raw local file system
        // turns that into its FSError.
        assumeTrue(Files.isWritable(java.nio.file.Path.of("/dev/full")), "needs /dev/full");
        FileSystem fs = new RawLocalFileSystem();
        fs.initialize(URI.create("file:///"), new Configuration());
        FSError e = assertThrows(FSError.class, () -> {
            try (OutputStream out = fs.create(new Path("/dev/full"), true)) {
                out.write(new byte[1 << 16]);
                out.flush();
            }
        });
        assertEquals(ExitCodes.IO, ExitCodes.of(e));
        assertEquals("file system error: No space left on device", ExitCodes.message(e));
        assertEquals(ExitCodes.IO, ExitCodes.of(new UncheckedIOException("cannot write /x/model.zip", new IOException(e))));
    }

    @Test
    void givesOneForABug() {
        assertEquals(ExitCodes.INTERNAL, ExitCodes.of(new IllegalStateException("a bug")));
    }

    @Test
    void printsAStackTraceOnlyForABug() {
        assertTrue(ExitCodes.printsStackTrace(ExitCodes.INTERNAL));
        for (int code : new int[]{ExitCodes.BAD_INPUT, ExitCodes.DIVERGED, ExitCodes.IO, ExitCodes.SPARK,
                ExitCodes.LEASE_HELD, ExitCodes.REJECTED})
            assertFalse(ExitCodes.printsStackTrace(code), "exit " + code);
    }
}
