package io.recur.serve;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The load loop behind the figures in docs/serving.md, with nothing but the JDK, so it runs as a
 * source file: {@code java src/test/java/io/recur/serve/ServeLoad.java URL TEXTS CLIENTS BATCH REQUESTS}.
 * Each of CLIENTS threads sends REQUESTS requests of BATCH texts (lines of TEXTS, in turn) one after
 * the other; it prints the latency quantiles of the requests and the texts answered per second.
 */
public final class ServeLoad {
    private ServeLoad() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: ServeLoad URL TEXTS_FILE CLIENTS BATCH REQUESTS_PER_CLIENT");
            System.exit(2);
        }
        URI predict = URI.create(args[0].replaceFirst("/+$", "") + "/predict");
        List<String> texts = Files.readAllLines(Path.of(args[1])).stream().filter(l -> !l.isBlank()).toList();
        int clients = Integer.parseInt(args[2]);
        int batch = Integer.parseInt(args[3]);
        int requests = Integer.parseInt(args[4]);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        // A warm-up round, not measured: the JIT and the first network calls.
        for (int i = 0; i < 50; i++) send(http, predict, body(texts, i, batch));
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<List<Long>>> done = new ArrayList<>();
        long started = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            int client = c;
            done.add(pool.submit(() -> {
                List<Long> nanos = new ArrayList<>(requests);
                for (int i = 0; i < requests; i++) {
                    String body = body(texts, (client * requests + i) * batch, batch);
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
        pool.shutdown();
        Collections.sort(all);
        System.out.printf("clients %d, batch %d: %d requests in %.1f s; p50 %.2f ms, p99 %.2f ms; %.0f texts/s%n",
                clients, batch, all.size(), seconds, all.get(all.size() / 2) / 1e6,
                all.get((int) Math.min(all.size() - 1, Math.ceil(all.size() * 0.99) - 1)) / 1e6,
                all.size() * (double) batch / seconds);
    }

    private static void send(HttpClient http, URI predict, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(predict).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException(r.statusCode() + " " + r.body());
    }

    private static String body(List<String> texts, int from, int batch) {
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
