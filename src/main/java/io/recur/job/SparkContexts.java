package io.recur.job;


import io.recur.config.JobSpec;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Starts Spark with the settings DL4J needs. */
public final class SparkContexts {
    private SparkContexts() {}

    /** ND4J's arrays and recur's records (examples, counts) both cross the wire through Kryo. */
    static final List<String> KRYO_REGISTRATORS =
            List.of("org.nd4j.kryo.Nd4jRegistrator", "io.recur.corpus.RecordKryoRegistrator");

    /**
     * @param masterOverride the command line's {@code --master}, or null. Without it a master set
     *                       by spark-submit wins over the spec's {@code spark.master}; likewise
     *                       spark-submit's {@code --conf} values win over the spec's {@code spark.conf}.
     */
    public static JavaSparkContext start(JobSpec spec, String masterOverride) {
        return start(spec, masterOverride, false);
    }

    /** @param metastore with Spark's Hive catalog even if the spec's corpus is no metastore table (another input is) */
    public static JavaSparkContext start(JobSpec spec, String masterOverride, boolean metastore) {
        SparkConf conf = conf(spec, masterOverride);
        if (metastore) withMetastore(conf);
        String master = conf.get("spark.master");
        if (master.startsWith("spark://")) requireReachable(master, spec.spark().executorWaitSeconds());
        JavaSparkContext sc = new JavaSparkContext(withRecurSettings(conf));
        ExecutorLosses.watch(sc);
        if (sc.isLocal()) limitNd4jThreads(threadsPerTask(sc.master(), Runtime.getRuntime().availableProcessors()));
        else if (startsExecutors(sc.getConf())) awaitExecutor(sc, spec.spark().executorWaitSeconds());
        return sc;
    }

    /** The settings {@link #start} starts Spark with, before recur's own ({@link #withRecurSettings}). */
    static SparkConf conf(JobSpec spec, String masterOverride) {
        SparkConf conf = new SparkConf().setAppName("recur " + spec.name());
        spec.spark().conf().forEach(conf::setIfMissing);
        if (masterOverride != null) conf.setMaster(masterOverride);
        else if (!conf.contains("spark.master")) conf.setMaster(spec.spark().master());
        if (spec.corpus().source().metastore()) withMetastore(conf);
        return conf;
    }

    /** Where the metastore is configured: a client of a metastore service, or a database of its own. */
    private static final List<String> METASTORE_KEYS = List.of("spark.hadoop.hive.metastore.uris",
            "spark.hadoop.javax.jdo.option.ConnectionURL", "spark.sql.hive.metastore.jars");

    /**
     * Spark's Hive catalog for {@code corpus.source = table}. Without a metastore configured (no
     * hive-site.xml on the class path, none of {@link #METASTORE_KEYS}) Hive would create an empty
     * Derby database {@code metastore_db} in the working directory and so would find no table: an
     * empty one in memory gives the same answer and leaves nothing behind. Derby's log goes to the
     * temporary directory, not the working one, unless {@code derby.system.home} is set.
     */
    static SparkConf withMetastore(SparkConf conf) {
        conf.setIfMissing("spark.sql.catalogImplementation", "hive");
        boolean configured = Thread.currentThread().getContextClassLoader().getResource("hive-site.xml") != null
                || METASTORE_KEYS.stream().anyMatch(conf::contains);
        if (!configured) conf.set("spark.hadoop.javax.jdo.option.ConnectionURL", "jdbc:derby:memory:recur-metastore;create=true");
        if (System.getProperty("derby.system.home") == null)
            System.setProperty("derby.system.home", System.getProperty("java.io.tmpdir") + "/recur-derby-" + System.getProperty("user.name"));
        return conf;
    }

    /**
     * Fails unless one of a standalone master's {@code host:port}s accepts a connection within
     * {@code seconds}. Spark's own client blocks the context's start for its fixed three
     * registration attempts of 20 s each before it gives up on a master that does not answer.
     *
     * @throws ClusterUnavailableException naming the URL and why no connection was made
     */
    static void requireReachable(String master, int seconds) {
        List<String> failures = new ArrayList<>();
        for (String hostPort : master.substring("spark://".length()).split(",")) {
            int colon = hostPort.lastIndexOf(':');
            String host = hostPort.substring(0, colon).replaceAll("^\\[|]$", "");
            int port = Integer.parseInt(hostPort.substring(colon + 1).strip());
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host.strip(), port), (int) TimeUnit.SECONDS.toMillis(seconds));
                return;
            } catch (IOException e) {
                failures.add(hostPort.strip() + ": " + e.getMessage());
            }
        }
        throw new ClusterUnavailableException("cannot reach the Spark master " + master + " (" + String.join("; ", failures)
                + ", within spark.executor-wait-seconds = " + seconds + " s); check the master URL and that the master is running");
    }

    /**
     * Whether the cluster starts executors with the application. With dynamic allocation and no
     * minimum or initial executors it starts them only once tasks wait, so none at the start is no sign of trouble.
     */
    static boolean startsExecutors(SparkConf conf) {
        if (!conf.getBoolean("spark.dynamicAllocation.enabled", false)) return true;
        return Math.max(conf.getInt("spark.dynamicAllocation.minExecutors", 0),
                conf.getInt("spark.dynamicAllocation.initialExecutors", 0)) > 0;
    }

    /**
     * Waits until the cluster gave the job an executor: a master without free workers would keep
     * the job waiting for ever, and one that Spark gave up on leaves a stopped context.
     *
     * @throws ClusterUnavailableException after stopping Spark, when none registered within {@code seconds}
     */
    static void awaitExecutor(JavaSparkContext sc, int seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        // The driver is listed among the executors too.
        while (sc.sc().statusTracker().getExecutorInfos().length < 2) {
            if (System.nanoTime() > deadline || sc.sc().isStopped()) {
                String master = sc.master();
                sc.stop();
                throw new ClusterUnavailableException("no executor registered with the Spark master " + master + " within "
                        + seconds + " s (spark.executor-wait-seconds); check that the master is reachable at that URL"
                        + " and has free workers, or raise spark.executor-wait-seconds");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                sc.stop();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Spark executors", e);
            }
        }
    }

    private static final Pattern LOCAL_MASTER = Pattern.compile("local(?:\\[(\\*|\\d+)(?:,\\s*\\d+)?])?");

    /**
     * ND4J threads (its own loops and OpenBLAS) for each task of a local master: the cores divided
     * by the task slots. Every task fits its own replica at the same time, and ND4J's default of
     * one thread per core made local[2] on 2 cores run 4 threads; see docs/performance.md.
     */
    static int threadsPerTask(String master, int cores) {
        Matcher m = LOCAL_MASTER.matcher(master);
        if (!m.matches()) return cores;
        int slots = m.group(1) == null ? 1 : m.group(1).equals("*") ? cores : Integer.parseInt(m.group(1));
        return Math.max(1, cores / Math.max(1, slots));
    }

    /** Local mode runs the tasks in this JVM, so the limit is set here rather than through the environment. */
    static void limitNd4jThreads(int threads) {
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }

    /** Adds the settings every Spark context running recur needs; tests use it too. */
    public static SparkConf withRecurSettings(SparkConf conf) {
        conf.setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        conf.set("spark.kryo.registrator", withRegistrators(conf.get("spark.kryo.registrator", "")));
        // Minibatches of long sequences exceed Kryo's default 64 MB buffer limit.
        conf.setIfMissing("spark.kryoserializer.buffer.max", "512m");
        // An executor's ND4J starts one thread per core it sees, and each of its task slots trains a
        // replica at once; a task owns spark.task.cpus cores (OMP_NUM_THREADS sets ND4J and OpenBLAS).
        conf.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", conf.get("spark.task.cpus", "1"));
        // Spark's own console progress bar would overwrite recur's training progress line.
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        return conf;
    }

    /**
     * The settings of {@link #withRecurSettings} that training cannot do without and {@code conf}
     * lacks, as {@code key = value} to set; empty when it has them. Without Kryo and ND4J's
     * registrator, parameter averaging fails only once the first task returns its parameters.
     */
    public static List<String> missingForTraining(SparkConf conf) {
        List<String> missing = new ArrayList<>();
        String kryo = "org.apache.spark.serializer.KryoSerializer";
        if (!kryo.equals(conf.get("spark.serializer", ""))) missing.add("spark.serializer = " + kryo);
        Set<String> named = new LinkedHashSet<>(List.of(conf.get("spark.kryo.registrator", "").split("\\s*,\\s*")));
        if (!named.containsAll(KRYO_REGISTRATORS))
            missing.add("spark.kryo.registrator = " + withRegistrators(conf.get("spark.kryo.registrator", "")));
        return missing;
    }

    /** Adds recur's registrators to those the user or spark-submit already named. */
    static String withRegistrators(String existing) {
        Set<String> all = new LinkedHashSet<>();
        for (String r : existing.split(",")) if (!r.isBlank()) all.add(r.trim());
        all.addAll(KRYO_REGISTRATORS);
        return String.join(",", all);
    }
}
