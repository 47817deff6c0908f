package io.recur.serve;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The load generator of the serve benchmark rows ({@link ServeBench}, {@code dev/bench --rows serve}):
 * each of {@code clients} threads sends {@code requestsPerClient} requests of {@code batch} texts (the
 * texts in turn), each when the last is answered, and every request is timed from sending to its
 * whole answer read. It uses nothing but the JDK, so it also runs by hand as a source file:
 * {@code java src/test/java/io/recur/serve/ServeLoad.java URL TEXTS CLIENTS BATCH REQUESTS}.
 */
public final class ServeLoad {
    private ServeLoad() {}

    /**
     * One load's outcome.
     *
     * @param requestNanos each timed request's latency, sorted
     * @param seconds      wall time from the first timed request sent to the last answer read
     */
    public record Result(int clients, int batch, List<Long> requestNanos, double seconds) {
        public Result {
            requestNanos = requestNanos.stream().sorted().toList();
            if (requestNanos.isEmpty()) throw new IllegalArgumentException("no request was timed");
        }

        /** The nearest-rank quantile {@code q} of the latencies, in milliseconds (q = 0.5: the median). */
        public double quantileMillis(double q) {
            int rank = (int) Math.ceil(q * requestNanos.size());
            return requestNanos.get(Math.max(0, Math.min(requestNanos.size() - 1, rank - 1))) / 1e6;
        }

        public double textsPerSecond() {
            return requestNanos.size() * (double) batch / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: ServeLoad URL TEXTS_FILE CLIENTS BATCH REQUESTS_PER_CLIENT");
            System.exit(2);
        }
        List<String> texts = Files.readAllLines(Path.of(args[1])).stream().filter(l -> !l.isBlank()).toList();
        Result r = run(URI.create(args[0]), texts, Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                Integer.parseInt(args[4]), 50);
        System.out.printf("clients %d, batch %d: %d requests in %.1f s; p50 %.2f ms, p99 %.2f ms; %.0f texts/s%n",
                r.clients(), r.batch(), r.requestNanos().size(), r.seconds(), r.quantileMillis(0.5),
                r.quantileMillis(0.99), r.textsPerSecond());
    }

    /**
     * Sends {@code warmUp} requests from one client, not timed (the server's JIT and first network
     * calls), then the timed load.
     *
     * @param base the server's address, {@code http://HOST:PORT/}
     * @throws IllegalStateException a request was not answered 200
     */
    public static Result run(URI base, List<String> texts, int clients, int batch, int requestsPerClient, int warmUp)
            throws Exception {
        URI predict = URI.create(base.toString().replaceFirst("/+$", "") + "/predict");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int i = 0; i < warmUp; i++) send(http, predict, body(texts, i * batch, batch));
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<List<Long>>> done = new ArrayList<>();
            long started = System.nanoTime();
            for (int c = 0; c < clients; c++) {
                int client = c;
                done.add(pool.submit(() -> {
                    List<Long> nanos = new ArrayList<>(requestsPerClient);
                    for (int i = 0; i < requestsPerClient; i++) {
                        String body = body(texts, (client * requestsPerClient + i) * batch, batch);
                        long t = System.nanoTime();
                        send(http, predict, body);
                        nanos.add(System.nanoTime() - t);
                    }
                    return nanos;
                }));
            }
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> f : done) all.addAll(f.get());
            double seconds = (System.nanoTime() - started) / 1e9;
            return new Result(clients, batch, all, seconds);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void send(HttpClient http, URI predict, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(predict).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException(predict + ": " + r.statusCode() + " " + r.body());
    }

    /** One text as {@code {"text": ...}}, several as {@code {"texts": [...]}}, from {@code texts[from]} on, wrapping. */
    private static String body(List<String> texts, int from, int batch) {
        if (batch == 1) return "{\"text\": " + quoted(texts.get(from % texts.size())) + "}";
        StringBuilder b = new StringBuilder("{\"texts\": [");
        for (int i = 0; i < batch; i++) b.append(i == 0 ? "" : ",").append(quoted(texts.get((from + i) % texts.size())));
        return b.append("]}").toString();
    }

    private static String quoted(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            if (ch == '"' || ch == '\\') b.append('\\').append(ch);
            else if (ch < 0x20) b.append(String.format("\\u%04x", (int) ch));
            else b.append(ch);
        }
        return b.append('"').toString();
    }
}
