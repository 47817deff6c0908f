package io.recur.cli;

import io.recur.config.UserInputException;
import io.recur.registry.Registry;
import io.recur.serve.ModelServer;
import io.recur.serve.ServeLimits;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.util.ShutdownHookManager;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Answers predictions over HTTP: POST /predict with {\"text\": ...} or {\"texts\": [...]}, "
                + "GET /health, /model, /metrics (docs/serving.md). With --registry it follows the champion. "
                + "Stops on SIGTERM or SIGINT after the requests in progress. No Spark.")
final class ServeCommand implements Callable<Integer> {
    /** Above {@link Interruption}'s clean-up, so the server stops while the log is still open. */
    private static final int HOOK_PRIORITY = 110;

    @ArgGroup(exclusive = true, multiplicity = "1")
    ModelSource source;

    @Option(names = "--host", paramLabel = "HOST", description = "the address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)")
    String host = "127.0.0.1";

    @Option(names = "--port", paramLabel = "P", description = "the port (default 8080; 0 for any free one)")
    int port = 8080;

    @Option(names = "--threads", paramLabel = "N", description = "worker threads, each with its own copy of the network "
            + "(default: the number of cores)")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--max-batch", paramLabel = "N", description = "most texts in one request (default "
            + ServeLimits.DEFAULT_MAX_BATCH + ")")
    int maxBatch = ServeLimits.DEFAULT_MAX_BATCH;

    @Option(names = "--max-body-bytes", paramLabel = "BYTES", description = "largest request body (default "
            + ServeLimits.DEFAULT_MAX_BODY_BYTES + ")")
    int maxBodyBytes = ServeLimits.DEFAULT_MAX_BODY_BYTES;

    @Option(names = "--poll-seconds", paramLabel = "S", description = "with --registry: how often the champion pointer is "
            + "read (default 10)")
    int pollSeconds = 10;

    @Override
    public Integer call() throws InterruptedException {
        ServeLimits limits = ServeLimits.of(threads, maxBatch, maxBodyBytes);
        if (pollSeconds < 1) throw new UserInputException("--poll-seconds " + pollSeconds + ": at least 1");
        Configuration hadoop = new Configuration();
        String runDir = source.runDir(hadoop);
        Registry registry = source.champion == null ? null
                : Registry.open(source.champion.registry, source.champion.name, hadoop);
        ModelServer server = ModelServer.start(runDir, registry, host, port, limits, Duration.ofSeconds(pollSeconds),
                hadoop, System.err);
        ShutdownHookManager.get().addShutdownHook(server::close, HOOK_PRIORITY);
        System.out.println("serving " + server.serving() + " (" + runDir + ") on http://" + host + ":" + server.port() + "/");
        // Until a signal ends the JVM: the server's threads do the work.
        new CountDownLatch(1).await();
        return ExitCodes.OK;
    }
}
