package io.recur.cluster;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * A real YARN cluster (one ResourceManager, one NodeManager that launches every container as its
 * own process tree) with a real HDFS (see {@link LocalHdfs}) in one process, for
 * {@code dev/cluster start --yarn} and {@code YarnClusterTest}; a test class, so it never ships
 * in the job jar. Once both are up it writes {@code core-site.xml} and {@code yarn-site.xml} into
 * the configuration directory (usable as {@code HADOOP_CONF_DIR}) and the HDFS URI to
 * {@code CONF_DIR/../hdfs-uri}, each atomically, then serves until the process is stopped.
 *
 * <pre>java -cp TEST_CLASSPATH io.recur.cluster.LocalYarn DATA_DIR CONF_DIR [NODE_MEMORY_MB] [NODE_VCORES]</pre>
 *
 * The NodeManager enforces the physical memory of each container (what YARN on a real cluster
 * does to an executor whose ND4J arrays outgrow {@code spark.executor.memoryOverhead}) and not its
 * virtual memory: a JVM reserves far more address space than it uses, and glibc's per-thread
 * arenas alone would fail the default 2.1 ratio. Run it with the state directory as the working
 * directory: MiniYARNCluster keeps its NodeManager directories and container logs under
 * {@code ./target/NAME}.
 */
public final class LocalYarn {
    /** MiniYARNCluster's test name: its directories are {@code ./target/recur-yarn/}. */
    static final String NAME = "recur-yarn";

    private LocalYarn() {}

    /** The cluster's configuration, before the ResourceManager's ports are known. */
    static YarnConfiguration configuration(String defaultFs, int nodeMemoryMb, int nodeVcores) {
        YarnConfiguration conf = new YarnConfiguration();
        conf.set("fs.defaultFS", defaultFs);
        // FIFO: the capacity scheduler's default queue admits ApplicationMasters up to 10% of the
        // cluster, which one driver in cluster mode exceeds on a single small node.
        conf.set(YarnConfiguration.RM_SCHEDULER,
                "org.apache.hadoop.yarn.server.resourcemanager.scheduler.fifo.FifoScheduler");
        conf.setInt(YarnConfiguration.NM_PMEM_MB, nodeMemoryMb);
        // MiniYARNCluster sets each NodeManager's memory from this key (default 4096), not the one above.
        conf.setInt(YarnConfiguration.YARN_MINICLUSTER_NM_PMEM_MB, nodeMemoryMb);
        conf.setInt(YarnConfiguration.NM_VCORES, nodeVcores);
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_MB, nodeMemoryMb);
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_VCORES, nodeVcores);
        // A container's limit is what Spark asked for, rounded up to 32 MiB, not to the 1 GiB default.
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 32);
        // MiniYARNCluster turns the NodeManager's container monitor off unless told to leave it be.
        conf.setBoolean(YarnConfiguration.YARN_MINICLUSTER_CONTROL_RESOURCE_MONITORING, true);
        conf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, true);
        // "Strict" enforcement leaves memory limits to a cgroup this NodeManager does not have, and
        // then skips its own check; off, the monitor kills a container over its limit.
        conf.setBoolean(YarnConfiguration.NM_MEMORY_RESOURCE_ENFORCED, false);
        conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
        conf.setLong(YarnConfiguration.NM_CONTAINER_MON_INTERVAL_MS, 1000);
        // Spark's launch commands run {{JAVA_HOME}}/bin/java; a cluster's NodeManagers set it for containers.
        conf.set(YarnConfiguration.NM_ADMIN_USER_ENV, "JAVA_HOME=" + System.getProperty("java.home"));
        // A shared build machine's disk is often fuller than the 90% at which a NodeManager stops launching.
        conf.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 99.9f);
        // Logs stay in the NodeManager's log directory, where the tests read the driver's stdout.
        conf.setBoolean(YarnConfiguration.LOG_AGGREGATION_ENABLED, false);
        conf.setLong(YarnConfiguration.DEBUG_NM_DELETE_DELAY_SEC, 600);
        return conf;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || args.length > 4) {
            System.err.println("usage: LocalYarn DATA_DIR CONF_DIR [NODE_MEMORY_MB] [NODE_VCORES]");
            System.exit(2);
        }
        Path dataDir = Path.of(args[0]).toAbsolutePath();
        Path confDir = Path.of(args[1]).toAbsolutePath();
        int nodeMemoryMb = args.length > 2 ? Integer.parseInt(args[2]) : 8192;
        int nodeVcores = args.length > 3 ? Integer.parseInt(args[3]) : 4;

        // The NodeManager's memory readings and kills, and the ResourceManager's application
        // states, are what one reads in this log when a container dies; the test logging keeps Hadoop at WARN.
        Configurator.setLevel("org.apache.hadoop.yarn.server.nodemanager.containermanager.monitor", Level.INFO);
        Configurator.setLevel("org.apache.hadoop.yarn.server.resourcemanager.rmapp", Level.INFO);
        MiniDFSCluster hdfs = LocalHdfs.start(dataDir, 1, 0);
        String hdfsUri = "hdfs://127.0.0.1:" + hdfs.getNameNodePort();
        MiniYARNCluster yarn = new MiniYARNCluster(NAME, 1, 1, 1);
        yarn.init(configuration(hdfsUri, nodeMemoryMb, nodeVcores));
        yarn.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            yarn.stop();
            hdfs.shutdown();
        }, "yarn-shutdown"));
        if (!yarn.waitForNodeManagersToConnect(60_000))
            throw new IllegalStateException("the NodeManager did not register with the ResourceManager within 60 s");

        Configuration started = yarn.getConfig();
        Files.createDirectories(confDir);
        Configuration core = new Configuration(false);
        core.set("fs.defaultFS", hdfsUri);
        write(core, confDir.resolve("core-site.xml"));
        Configuration site = new Configuration(false);
        for (String key : List.of(YarnConfiguration.RM_ADDRESS, YarnConfiguration.RM_SCHEDULER_ADDRESS,
                YarnConfiguration.RM_RESOURCE_TRACKER_ADDRESS, YarnConfiguration.RM_ADMIN_ADDRESS,
                YarnConfiguration.RM_WEBAPP_ADDRESS, YarnConfiguration.RM_SCHEDULER,
                YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_MB))
            site.set(key, started.get(key));
        write(site, confDir.resolve("yarn-site.xml"));
        Path uriFile = confDir.resolveSibling("hdfs-uri");
        Files.writeString(uriFile.resolveSibling("hdfs-uri.partial"), hdfsUri + "\n", StandardCharsets.UTF_8);
        Files.move(uriFile.resolveSibling("hdfs-uri.partial"), uriFile,
                StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        System.out.println("HDFS serving at " + hdfsUri + " (data under " + dataDir + ")");
        System.out.println("YARN ResourceManager at " + started.get(YarnConfiguration.RM_ADDRESS)
                + ", web UI http://" + started.get(YarnConfiguration.RM_WEBAPP_ADDRESS)
                + ", NodeManager " + nodeMemoryMb + " MiB x " + nodeVcores + " vcores, logs under "
                + yarn.getTestWorkDir().getAbsolutePath());
        System.out.println("YARN serving with HADOOP_CONF_DIR " + confDir);
        Thread.currentThread().join();
    }

    private static void write(Configuration conf, Path file) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try (OutputStream out = Files.newOutputStream(partial)) {
            conf.writeXml(out);
        }
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
