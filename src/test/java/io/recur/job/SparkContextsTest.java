package io.recur.job;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("SparkContexts")
class SparkContextsTest {

    @Nested
    @DisplayName("ND4J threads per task of a local master")
    class ThreadsPerTask {
        @Test
        void givesEachOfTwoTasksOneOfTwoCores() {
            assertEquals(1, SparkContexts.threadsPerTask("local[2]", 2));
        }

        @Test
        void givesOneThreadPerTaskWhenEveryCoreRunsATask() {
            assertEquals(1, SparkContexts.threadsPerTask("local[*]", 8));
        }

        @Test
        void givesTheSingleTaskOfPlainLocalEveryCore() {
            assertEquals(4, SparkContexts.threadsPerTask("local", 4));
        }

        @Test
        void readsTheSlotsOfAMasterWithRetries() {
            assertEquals(4, SparkContexts.threadsPerTask("local[2,3]", 8));
        }

        @Test
        void keepsAtLeastOneThreadWhenTasksOutnumberCores() {
            assertEquals(1, SparkContexts.threadsPerTask("local[16]", 2));
        }

        @Test
        void leavesANonLocalMasterAtAllCores() {
            assertEquals(2, SparkContexts.threadsPerTask("spark://127.0.0.1:7077", 2));
        }
    }

    @Nested
    @DisplayName("the metastore of corpus.source = table")
    class Metastore {
        private static final String URL = "spark.hadoop.javax.jdo.option.ConnectionURL";

        @Test
        void usesSparksHiveCatalog() {
            assertEquals("hive", SparkContexts.withMetastore(new SparkConf(false)).get("spark.sql.catalogImplementation"));
        }

        @Test
        void withNoneConfiguredIsAnEmptyOneInMemoryNotADerbyDirectoryInTheWorkingDirectory() {
            assertTrue(SparkContexts.withMetastore(new SparkConf(false)).get(URL).startsWith("jdbc:derby:memory:"));
        }

        @Test
        void keepsTheMetastoreServiceTheSparkConfNames() {
            SparkConf conf = SparkContexts.withMetastore(new SparkConf(false).set("spark.hadoop.hive.metastore.uris", "thrift://m:9083"));
            assertFalse(conf.contains(URL));
        }

        @Test
        void keepsTheDatabaseTheSparkConfNames() {
            String own = "jdbc:derby:;databaseName=/data/metastore_db;create=true";
            assertEquals(own, SparkContexts.withMetastore(new SparkConf(false).set(URL, own)).get(URL));
        }
    }

    @Nested
    @DisplayName("executor environment")
    class ExecutorEnvironment {
        @Test
        void limitsExecutorThreadsToTheCoresOfATask() {
            SparkConf conf = SparkContexts.withRecurSettings(new SparkConf(false).set("spark.task.cpus", "2"));
            assertEquals("2", conf.get("spark.executorEnv.OMP_NUM_THREADS"));
        }

        @Test
        void keepsAThreadCountTheUserSet() {
            SparkConf conf = SparkContexts.withRecurSettings(new SparkConf(false).set("spark.executorEnv.OMP_NUM_THREADS", "4"));
            assertEquals("4", conf.get("spark.executorEnv.OMP_NUM_THREADS"));
        }
    }

    @Nested
    @DisplayName("at the start of a cluster job")
    class ClusterStart {
        @Test
        void refusesAStandaloneMasterThatAcceptsNoConnection() throws IOException {
            int port;
            try (ServerSocket free = new ServerSocket(0)) {
                port = free.getLocalPort();
            }
            String master = "spark://127.0.0.1:" + port;
            ClusterUnavailableException e = assertThrows(ClusterUnavailableException.class,
                    () -> SparkContexts.requireReachable(master, 2));
            assertTrue(e.getMessage().startsWith("cannot reach the Spark master " + master),
                    e.getMessage());
        }

        @Test
        void acceptsAStandaloneMasterOneOfWhoseHostsListens() throws IOException {
            try (ServerSocket listening = new ServerSocket(0)) {
                SparkContexts.requireReachable("spark://127.0.0.1:1,127.0.0.1:" + listening.getLocalPort(), 2);
            }
        }

        @Test
        void waitsForExecutorsUnlessDynamicAllocationStartsNone() {
            assertTrue(SparkContexts.startsExecutors(new SparkConf(false)));
            SparkConf dynamic = new SparkConf(false).set("spark.dynamicAllocation.enabled", "true");
            assertFalse(SparkContexts.startsExecutors(dynamic));
            assertTrue(SparkContexts.startsExecutors(dynamic.set("spark.dynamicAllocation.initialExecutors", "2")));
        }
    }
}
