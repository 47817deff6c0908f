package io.recur.serve;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's counters, rendered in Prometheus' text exposition format (version 0.0.4) for
 * {@code GET /metrics}: requests by endpoint and status, a latency histogram by endpoint, the texts
 * answered, and the model served with its loads and refusals. Endpoints are the fixed set the server
 * knows, plus {@code other} for any other path, so a client cannot grow the label set.
 */
final class ServeMetrics {
    /** Upper bounds of the latency buckets, in seconds: from a cached single text to a slow batch. */
    static final double[] BUCKETS_SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};

    private final Map<String, LongAdder> requests = new ConcurrentSkipListMap<>();
    private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
    private final LongAdder texts = new LongAdder();
    private final LongAdder modelLoads = new LongAdder();
    private final LongAdder modelRefusals = new LongAdder();

    private static final class Histogram {
        final LongAdder[] buckets = new LongAdder[BUCKETS_SECONDS.length];
        final LongAdder count = new LongAdder();
        final DoubleAdder sumSeconds = new DoubleAdder();

        Histogram() {
            for (int i = 0; i < buckets.length; i++) buckets[i] = new LongAdder();
        }

        void observe(double seconds) {
            // Each observation is counted in its own bucket only; the cumulative counts are summed when rendered.
            int i = 0;
            while (i < BUCKETS_SECONDS.length && seconds > BUCKETS_SECONDS[i]) i++;
            if (i < buckets.length) buckets[i].increment();
            count.increment();
            sumSeconds.add(seconds);
        }
    }

    void observe(String endpoint, int status, long nanos) {
        requests.computeIfAbsent(endpoint + "\u0000" + status, k -> new LongAdder()).increment();
        latency.computeIfAbsent(endpoint, k -> new Histogram()).observe(nanos / 1e9);
    }

    void answered(int count) {
        texts.add(count);
    }

    void loaded() {
        modelLoads.increment();
    }

    void refused() {
        modelRefusals.increment();
    }

    /** The exposition text, with the model now served. */
    String render(ServedModel model) {
        StringBuilder out = new StringBuilder();
        out.append("# HELP recur_requests_total HTTP requests answered, by endpoint and status code.\n");
        out.append("# TYPE recur_requests_total counter\n");
        for (var e : requests.entrySet()) {
            String[] key = e.getKey().split("\u0000");
            out.append("recur_requests_total{endpoint=\"").append(key[0]).append("\",status=\"").append(key[1])
                    .append("\"} ").append(e.getValue().sum()).append('\n');
        }
        out.append("# HELP recur_request_duration_seconds Time from reading a request to its answer sent, by endpoint.\n");
        out.append("# TYPE recur_request_duration_seconds histogram\n");
        for (var e : new TreeMap<>(latency).entrySet()) {
            Histogram h = e.getValue();
            String endpoint = e.getKey();
            long cumulative = 0;
            for (int i = 0; i < BUCKETS_SECONDS.length; i++) {
                cumulative += h.buckets[i].sum();
                out.append("recur_request_duration_seconds_bucket{endpoint=\"").append(endpoint).append("\",le=\"")
                        .append(number(BUCKETS_SECONDS[i])).append("\"} ").append(cumulative).append('\n');
            }
            long count = h.count.sum();
            out.append("recur_request_duration_seconds_bucket{endpoint=\"").append(endpoint).append("\",le=\"+Inf\"} ")
                    .append(count).append('\n');
            out.append("recur_request_duration_seconds_sum{endpoint=\"").append(endpoint).append("\"} ")
                    .append(number(h.sumSeconds.sum())).append('\n');
            out.append("recur_request_duration_seconds_count{endpoint=\"").append(endpoint).append("\"} ")
                    .append(count).append('\n');
        }
        out.append("# HELP recur_texts_answered_total Texts answered by POST /predict (a batch counts each of its texts).\n");
        out.append("# TYPE recur_texts_answered_total counter\n");
        out.append("recur_texts_answered_total ").append(texts.sum()).append('\n');
        ServedModel.ModelInfo info = model.info();
        out.append("# HELP recur_model_info The model answering now: 1 for its labels.\n");
        out.append("# TYPE recur_model_info gauge\n");
        out.append("recur_model_info{version=\"").append(escape(model.label())).append("\",run_id=\"")
                .append(escape(info.runId())).append("\",job=\"").append(escape(info.job())).append("\",task=\"")
                .append(info.task()).append("\",cell=\"").append(info.cell()).append("\"} 1\n");
        out.append("# HELP recur_model_loads_total Models loaded and swapped in, the first one included.\n");
        out.append("# TYPE recur_model_loads_total counter\n");
        out.append("recur_model_loads_total ").append(modelLoads.sum()).append('\n');
        out.append("# HELP recur_model_refusals_total Champions refused on loading (failed integrity check or unreadable); the old model kept.\n");
        out.append("# TYPE recur_model_refusals_total counter\n");
        out.append("recur_model_refusals_total ").append(modelRefusals.sum()).append('\n');
        return out.toString();
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%s", v);
    }

    /** A label value as the exposition format quotes it. */
    private static String escape(String value) {
        return value == null ? "" : value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
