package io.recur.serve;

import io.recur.bench.Row;
import io.recur.bench.Target;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The serving rows (issue 17 §3): {@code scripts/recur serve} of a saved classifier in a JVM of its
 * own, loaded by {@link ServeLoad} from this one: the latency of one text per request from one
 * client, and the texts per second of batched requests from two clients, beside the wall time of one
 * {@code scripts/recur predict} process per text, which is what a caller without the server pays.
 * The repetitions interleave the two loads; predict runs after the server has stopped, so the two
 * never share the cores. Run from the project's root (it starts {@code scripts/recur}). Public for
 * io.recur.bench.Bench.
 */
public final class ServeBench {
    private static final String RECUR = "scripts/recur";
    private static final Pattern LISTENING = Pattern.compile("^serving \\S+ \\(.*\\) on (http://\\S+/)$", Pattern.MULTILINE);
    private static final long START_TIMEOUT_SECONDS = 180;
    static final int BATCH_CLIENTS = 2;
    static final int BATCH_TEXTS = 32;

    private final boolean quick;
    private final PrintStream log;

    public ServeBench(boolean quick, PrintStream log) {
        this.quick = quick;
        this.log = log;
    }

    /**
     * @param runDir a saved classifier run
     * @param lines  a text file, one message per line, sent in turn
     * @param work   a directory for the server's and predict's output
     */
    public List<Row> measure(String runDir, Path lines, Path work) throws Exception {
        List<String> texts = Files.readAllLines(lines, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
        int repetitions = quick ? 1 : 3;
        int singleRequests = quick ? 200 : 1000;
        int batchedRequests = quick ? 20 : 100;
        int predictCalls = quick ? 1 : 3;
        Files.createDirectories(work);

        List<Double> p50 = new ArrayList<>(), p99 = new ArrayList<>(), textsPerSecond = new ArrayList<>();
        int threads = Runtime.getRuntime().availableProcessors();
        Process server = new ProcessBuilder(RECUR, "serve", "--model", runDir, "--port", "0", "--threads", Integer.toString(threads))
                .redirectOutput(work.resolve("serve.out").toFile()).redirectError(work.resolve("serve.log").toFile()).start();
        try {
            URI base = awaitListening(server, work);
            log.println("serve: listening on " + base);
            for (int r = 0; r < repetitions; r++) {
                ServeLoad.Result single = ServeLoad.run(base, texts, 1, 1, singleRequests, quick ? 50 : 200);
                p50.add(single.quantileMillis(0.5));
                p99.add(single.quantileMillis(0.99));
                ServeLoad.Result batched = ServeLoad.run(base, texts, BATCH_CLIENTS, BATCH_TEXTS, batchedRequests, 10);
                textsPerSecond.add(batched.textsPerSecond());
                log.printf("serve: repetition %d: 1 client p50 %s ms, p99 %s ms; %d x %d texts %s texts/s%n", r + 1,
                        Row.number(p50.get(r)), Row.number(p99.get(r)), BATCH_CLIENTS, BATCH_TEXTS, Row.number(textsPerSecond.get(r)));
            }
        } finally {
            stop(server);
        }

        List<Double> predictSeconds = new ArrayList<>();
        for (int i = 0; i < predictCalls; i++) {
            predictSeconds.add(predictOnce(runDir, texts.get(i), work, i));
            log.printf("serve: predict call %d: %s s%n", i + 1, Row.number(predictSeconds.get(i)));
        }

        String load = "scripts/recur serve --threads " + threads + " of " + runDir + " in its own JVM; ServeLoad (JDK HttpClient, "
                + "HTTP/1.1 keep-alive) in the bench JVM on the same machine; the " + texts.size() + " lines of "
                + lines.getFileName() + " in turn; " + repetitions + " repetitions, the loads interleaved";
        String single = load + "; each " + singleRequests + " requests {\"text\": ...} from 1 client after "
                + (quick ? 50 : 200) + " untimed";
        double p50Median = Row.median(p50), predictMedian = Row.median(predictSeconds);
        return List.of(
                Row.reference("serve-p50-1client", "POST /predict of one text, 1 client: median latency", single, p50, "ms")
                        .judged("p50 ms", p50Median, Target.atMost(5)),
                Row.reference("serve-p99-1client", "POST /predict of one text, 1 client: 99th percentile latency", single, p99, "ms"),
                Row.reference("serve-batched-" + BATCH_CLIENTS + "x" + BATCH_TEXTS, "POST /predict of " + BATCH_TEXTS
                                + " texts per request, " + BATCH_CLIENTS + " clients: texts answered per second",
                                load + "; each " + BATCH_CLIENTS + " clients x " + batchedRequests + " requests", textsPerSecond, "texts/s")
                        .judged("texts/s", Row.median(textsPerSecond), Target.atLeast(1000)),
                Row.reference("serve-predict-call", "scripts/recur predict of one line: wall time per process",
                                predictCalls + " calls, one message each, after the server stopped; the JVM's and the model's start included",
                                predictSeconds, "s")
                        .judged("predict per call / serve p50", predictMedian * 1000 / p50Median, null));
    }

    private static URI awaitListening(Process server, Path work) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        while (true) {
            Matcher m = LISTENING.matcher(Files.readString(work.resolve("serve.out")));
            if (m.find()) return URI.create(m.group(1));
            if (!server.isAlive())
                throw new IllegalStateException("serve ended (exit " + server.exitValue() + ") before it listened; see " + work.resolve("serve.log"));
            if (System.nanoTime() > deadline)
                throw new IllegalStateException("serve did not listen within " + START_TIMEOUT_SECONDS + " s; see " + work.resolve("serve.log"));
            Thread.sleep(100);
        }
    }

    /** SIGTERM, as an operator stops it; the measurement fails if the server does not exit as documented (143). */
    private static void stop(Process server) throws InterruptedException {
        server.destroy();
        if (!server.waitFor(30, TimeUnit.SECONDS)) {
            server.destroyForcibly().waitFor();
            throw new IllegalStateException("serve did not stop within 30 s of SIGTERM");
        }
        if (server.exitValue() != 143) throw new IllegalStateException("serve exited " + server.exitValue() + " on SIGTERM, not 143");
    }

    private static double predictOnce(String runDir, String text, Path work, int call) throws IOException, InterruptedException {
        Path in = Files.writeString(work.resolve("predict-" + call + ".in"), text + "\n");
        Path out = work.resolve("predict-" + call + ".out");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(RECUR, "predict", "--model", runDir).redirectInput(in.toFile())
                .redirectOutput(out.toFile()).redirectError(work.resolve("predict-" + call + ".log").toFile()).start();
        int code = p.waitFor();
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<String> answers = Files.readAllLines(out);
        if (code != 0 || answers.size() != 1)
            throw new IllegalStateException("predict exited " + code + " with " + answers.size() + " answer lines; see "
                    + work.resolve("predict-" + call + ".log"));
        return seconds;
    }
}
