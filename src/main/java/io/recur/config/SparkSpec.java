package io.recur.config;

import com.typesafe.config.Config;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Spark settings from the spec. {@code master} is used only when neither the command line nor
 * spark-submit set one; {@code conf} holds extra Spark settings by their full Spark names
 * ({@code spark.executor.memory}), unchecked.
 *
 * @param executorWaitSeconds with a cluster master, how long a job waits at its start for the first
 *                            executor to register before it fails: Spark itself would wait for ever
 */
public record SparkSpec(String master, Map<String, String> conf, int executorWaitSeconds) {
    private static final Pattern LOCAL = Pattern.compile("local(?:\\[\\s*(\\*|\\d+)\\s*(?:,\\s*(\\d+)\\s*)?])?");
    private static final Pattern LOCAL_CLUSTER = Pattern.compile("local-cluster\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,\\s*(\\d+)\\s*]");
    private static final Pattern HOST_PORT = Pattern.compile("([A-Za-z0-9][A-Za-z0-9.-]*|\\[[0-9A-Fa-f:.]+]):(\\d{1,5})");
    static final String MASTER_FORMS = "local, local[N], local[*], local[N,F], local-cluster[N,C,M], spark://HOST:PORT[,HOST:PORT...],"
            + " yarn, k8s://URL or mesos://URL";

    public SparkSpec {
        Optional<String> problem = masterProblem(master);
        if (problem.isPresent()) throw new IllegalArgumentException("master: " + problem.get());
        conf = Map.copyOf(conf);
        if (executorWaitSeconds < 1) {
            throw new IllegalArgumentException("executorWaitSeconds must be >= 1, was " + executorWaitSeconds);
        }
    }

    /** Reads {@code spark.*} of a resolved job spec. */
    static SparkSpec from(Config root) {
        SpecReader r = new SpecReader(root);
        String master = r.string("spark.master");
        Optional<String> problem = masterProblem(master);
        if (problem.isPresent()) throw r.bad("spark.master", r.valueOrNull("spark.master"), problem.get());
        return new SparkSpec(master, r.stringMap("spark.conf"), r.wholeInt("spark.executor-wait-seconds", 1, 86_400));
    }

    /**
     * What is wrong with a Spark master URL, or empty when Spark can start with it. The one check
     * for {@code spark.master} and {@code --master}, so a bad URL is refused before any work
     * rather than by Spark after the run directory exists.
     */
    public static Optional<String> masterProblem(String master) {
        if (master == null || master.isBlank()) return Optional.of("expected a master URL (" + MASTER_FORMS + ")");
        String url = master.strip();
        Matcher local = LOCAL.matcher(url);
        if (local.matches()) {
            if (local.group(1) != null && !local.group(1).equals("*") && !positive(local.group(1)))
                return Optional.of("local[" + local.group(1) + "] asks for no task threads; use local[N] with N >= 1, or local[*]");
            if (local.group(2) != null && !positive(local.group(2)))
                return Optional.of("the number of task failures allowed in local[N,F] must be >= 1, was " + local.group(2));
            return Optional.empty();
        }
        Matcher cluster = LOCAL_CLUSTER.matcher(url);
        if (cluster.matches()) {
            for (int g = 1; g <= 3; g++)
                if (!positive(cluster.group(g)))
                    return Optional.of("local-cluster[N,C,M] needs workers, cores and memory (MB) >= 1, was " + url);
            return Optional.empty();
        }
        if (url.startsWith("spark://")) {
            String hosts = url.substring("spark://".length());
            for (String hostPort : hosts.split(",", -1)) {
                Matcher m = HOST_PORT.matcher(hostPort.strip());
                if (!m.matches() || Integer.parseInt(m.group(2)) < 1 || Integer.parseInt(m.group(2)) > 65535)
                    return Optional.of("a standalone master is spark://HOST:PORT (or a comma-separated list of"
                            + " HOST:PORT), with a port from 1 to 65535; '" + hostPort + "' is not HOST:PORT");
            }
            return Optional.empty();
        }
        if (url.equals("yarn")) return Optional.empty();
        for (String scheme : new String[]{"k8s://", "mesos://"})
            if (url.startsWith(scheme))
                return url.length() > scheme.length() ? Optional.empty()
                        : Optional.of(scheme + " needs the cluster's address after it");
        return Optional.of("not a Spark master URL; expected one of " + MASTER_FORMS);
    }

    private static boolean positive(String digits) {
        try {
            return Long.parseLong(digits) >= 1;
        } catch (NumberFormatException tooLong) {
            return false;
        }
    }
}
