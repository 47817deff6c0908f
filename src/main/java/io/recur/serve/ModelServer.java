package io.recur.serve;

import io.recur.registry.Registry;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code recur serve}: a run loaded and answering over HTTP, and when it came from a registry, the
 * champion followed. Closing it stops following, then lets the requests in progress finish.
 */
public final class ModelServer implements AutoCloseable {
    private final PredictionServer http;
    private final ChampionFollower follower;
    private final AtomicReference<ServedModel> served;

    private ModelServer(PredictionServer http, ChampionFollower follower, AtomicReference<ServedModel> served) {
        this.http = http;
        this.follower = follower;
        this.served = served;
    }

    /**
     * Loads the run, listens and answers.
     *
     * @param runDir   the run directory, or the champion's version directory
     * @param registry the registry whose champion {@code runDir} is, to follow; null for a run given by path
     * @param poll     how often the champion pointer is read
     */
    public static ModelServer start(String runDir, Registry registry, String host, int port, ServeLimits limits,
                                    Duration poll, Configuration hadoop, PrintStream log) {
        String version = registry == null ? null : new Path(runDir).getName();
        ServeMetrics metrics = new ServeMetrics();
        var served = new AtomicReference<>(ServedModel.load(runDir, version, hadoop, limits.threads(), log));
        metrics.loaded();
        ChampionFollower follower = registry == null ? null
                : new ChampionFollower(registry, served, hadoop, limits.threads(), metrics, log);
        PredictionServer http = PredictionServer.start(host, port, limits, served::get, metrics, log);
        if (follower != null) follower.start(poll);
        return new ModelServer(http, follower, served);
    }

    public int port() {
        return http.port();
    }

    /** The version or run id answering now. */
    public String serving() {
        return served.get().label();
    }

    @Override
    public void close() {
        if (follower != null) follower.close();
        http.close();
    }
}
