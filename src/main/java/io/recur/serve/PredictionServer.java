package io.recur.serve;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.recur.config.UserInputException;
import io.recur.storage.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The HTTP endpoints of {@code recur serve} on the JDK's own server: {@code POST /predict},
 * {@code GET /health}, {@code GET /model} and {@code GET /metrics} (docs/serving.md). Requests run
 * on a fixed pool of worker threads with a bounded queue; when it is full the server stops
 * accepting connections until a worker is free, so a burst waits in the socket's backlog instead of
 * growing memory. Every refusal is a JSON {@code {"error": ...}} with a 4xx status; an unexpected
 * failure is a 500 with a one-line message, its stack trace going to the server's log only.
 *
 * <p>Each request reads the model once ({@code model.get()}) and answers all of its texts with it,
 * so a model swapped in meanwhile only takes the requests that start after the swap.
 */
final class PredictionServer implements AutoCloseable {
    /** How long {@link #close} lets requests in progress finish. */
    static final int STOP_GRACE_SECONDS = 5;
    private static final String JSON = "application/json";
    private static final List<String> ENDPOINTS = List.of("/predict", "/health", "/model", "/metrics");

    static {
        // The JDK server writes the headers and the body of an answer apart; with Nagle's algorithm on, the
        // body then waits for the client's delayed ACK, ~40 ms per request (measured in docs/serving.md: p50 48 ms with it, 3.3 ms without).
        // Read once, when the server's configuration class loads, so it is set before the first server is made.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ThreadPoolExecutor workers;
    private final ServeLimits limits;
    private final Supplier<ServedModel> model;
    private final ServeMetrics metrics;
    private final PrintStream log;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean stopping;

    private PredictionServer(HttpServer server, ThreadPoolExecutor workers, ServeLimits limits, Supplier<ServedModel> model,
                             ServeMetrics metrics, PrintStream log) {
        this.server = server;
        this.workers = workers;
        this.limits = limits;
        this.model = model;
        this.metrics = metrics;
        this.log = log;
    }

    /**
     * Listens on {@code host:port} (port 0: any free port) and starts answering.
     *
     * @throws UserInputException the address is in use or cannot be listened on
     */
    static PredictionServer start(String host, int port, ServeLimits limits, Supplier<ServedModel> model,
                                         ServeMetrics metrics, PrintStream log) {
        if (port < 0 || port > 65535) throw new UserInputException("--port " + port + ": a port is 0 to 65535");
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), limits.queuedRequests());
        } catch (BindException e) {
            // The same exception says "Address already in use" and "Cannot assign requested address".
            if (e.getMessage() != null && e.getMessage().contains("in use"))
                throw new UserInputException("--port " + port + " on " + host + ": " + e.getMessage()
                        + "; another process listens there: give another --port, or stop that process", e);
            throw new UserInputException("--host " + host + ": cannot listen there (" + e.getMessage()
                    + "); give an address of this machine, 127.0.0.1 or 0.0.0.0", e);
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            throw new UserInputException("--host " + host + " --port " + port + ": cannot listen there (" + e.getMessage() + ")", e);
        }
        PredictionServer s = new PredictionServer(server, workers(limits), limits, model, metrics, log);
        for (String endpoint : ENDPOINTS) server.createContext(endpoint, s::handle);
        server.createContext("/", s::handle);
        server.setExecutor(s.workers);
        server.start();
        return s;
    }

    private static ThreadPoolExecutor workers(ServeLimits limits) {
        AtomicInteger n = new AtomicInteger();
        BlockingQueue<Runnable> queue = new ArrayBlockingQueue<>(limits.queuedRequests());
        return new ThreadPoolExecutor(limits.threads(), limits.threads(), 0, TimeUnit.SECONDS, queue, r -> {
            Thread t = new Thread(r, "recur-serve-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, (r, executor) -> {
            // Full: hold the server's dispatcher until a worker takes the next request (back-pressure).
            if (executor.isShutdown()) throw new RejectedExecutionException("the server is stopping");
            try {
                executor.getQueue().put(r);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RejectedExecutionException("interrupted", e);
            }
        });
    }

    /** The port listened on (the one chosen when started with port 0). */
    int port() {
        return server.getAddress().getPort();
    }

    /**
     * Lets the requests in progress finish, for up to {@link #STOP_GRACE_SECONDS}, answering any new one
     * 503, then stops. (The JDK 17 server's own {@code stop(delay)} waits the whole delay even when idle.)
     */
    @Override
    public void close() {
        stopping = true;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_GRACE_SECONDS);
        try {
            while (inFlight.get() > 0 && System.nanoTime() < deadline) Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.stop(0);
        workers.shutdown();
        try {
            workers.awaitTermination(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Reply(int status, String contentType, byte[] body) {
        static Reply json(int status, Object value) {
            return new Reply(status, JSON, Json.line(value));
        }

        static Reply error(int status, String message) {
            return json(status, Map.of("error", message));
        }
    }

    /** The model that answered a request: its registry version (absent for a run directory given by path) and run id. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AnsweredBy(String version, String runId) {}

    record Single(AnsweredBy model, Answer prediction) {}

    record Batch(AnsweredBy model, List<Answer> predictions) {}

    record Health(String status, String model) {}

    private void handle(HttpExchange exchange) {
        long started = System.nanoTime();
        inFlight.incrementAndGet();
        String path = exchange.getRequestURI().getPath();
        String endpoint = ENDPOINTS.contains(path) ? path : "other";
        Reply reply;
        try {
            if (stopping) {
                exchange.getResponseHeaders().set("Connection", "close");
                throw new BadRequest(503, "the server is stopping");
            }
            reply = route(exchange, endpoint);
        } catch (BadRequest e) {
            reply = Reply.error(e.status(), e.getMessage());
        } catch (IOException e) {
            // The client went away while sending; nobody is left to answer.
            reply = null;
        } catch (RuntimeException | Error e) {
            log.println("recur: internal error answering " + exchange.getRequestMethod() + " " + path + ": " + e);
            e.printStackTrace(log);
            reply = Reply.error(500, "internal error (" + e.getClass().getSimpleName() + "); the server's log has the details");
        }
        int status = reply == null ? 499 : reply.status();
        try (exchange) {
            if (reply != null) send(exchange, reply);
        } catch (IOException e) {
            // The client closed the connection before the answer was sent.
        } finally {
            metrics.observe(endpoint, status, System.nanoTime() - started);
            inFlight.decrementAndGet();
        }
    }

    private Reply route(HttpExchange exchange, String endpoint) throws BadRequest, IOException {
        if (endpoint.equals("other"))
            throw new BadRequest(404, "no endpoint " + exchange.getRequestURI().getPath() + "; there are "
                    + "POST /predict, GET /health, GET /model and GET /metrics");
        String method = exchange.getRequestMethod();
        String allowed = endpoint.equals("/predict") ? "POST" : "GET";
        if (!method.equals(allowed)) {
            exchange.getResponseHeaders().set("Allow", allowed);
            throw new BadRequest(405, method + " " + endpoint + ": only " + allowed + " is answered here");
        }
        ServedModel served = model.get();
        return switch (endpoint) {
            case "/predict" -> predict(exchange, served);
            case "/health" -> Reply.json(200, new Health("ok", served.label()));
            case "/model" -> Reply.json(200, served.info());
            case "/metrics" -> new Reply(200, "text/plain; version=0.0.4; charset=utf-8",
                    metrics.render(served).getBytes(StandardCharsets.UTF_8));
            default -> throw new IllegalStateException("unrouted endpoint " + endpoint);
        };
    }

    private Reply predict(HttpExchange exchange, ServedModel served) throws BadRequest, IOException {
        requireJson(exchange.getRequestHeaders().getFirst("Content-Type"));
        PredictRequest request = PredictRequest.parse(body(exchange), limits.maxBatch());
        List<Answer> answers = served.answer(request);
        metrics.answered(answers.size());
        AnsweredBy by = new AnsweredBy(served.version(), served.info().runId());
        return Reply.json(200, request.single() ? new Single(by, answers.get(0)) : new Batch(by, answers));
    }

    private static void requireJson(String contentType) throws BadRequest {
        if (contentType == null)
            throw new BadRequest(415, "no Content-Type; send the body as application/json");
        String[] parts = contentType.split(";");
        if (!parts[0].trim().toLowerCase(Locale.ROOT).equals(JSON))
            throw new BadRequest(415, "Content-Type " + contentType.trim() + "; send the body as application/json");
        for (int i = 1; i < parts.length; i++) {
            String[] param = parts[i].split("=", 2);
            if (param[0].trim().equalsIgnoreCase("charset") && (param.length < 2
                    || !param[1].trim().replace("\"", "").equalsIgnoreCase("utf-8")))
                throw new BadRequest(415, "Content-Type " + contentType.trim() + "; JSON is read as UTF-8 only");
        }
    }

    /** The body, refused unread when its declared length is over the limit, and cut off when it grows past it. */
    private byte[] body(HttpExchange exchange) throws BadRequest, IOException {
        int max = limits.maxBodyBytes();
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > max) throw tooLarge(declared.trim() + " bytes");
            } catch (NumberFormatException e) {
                throw new BadRequest(400, "Content-Length " + declared + " is not a number");
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(max + 1);
            if (body.length > max) throw tooLarge("more than " + max + " bytes");
            return body;
        }
    }

    private BadRequest tooLarge(String size) {
        return new BadRequest(413, "the body is " + size + "; at most " + limits.maxBodyBytes()
                + " bytes are read (--max-body-bytes); send fewer texts per request");
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", reply.contentType());
        exchange.sendResponseHeaders(reply.status(), reply.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(reply.body());
        }
    }
}
