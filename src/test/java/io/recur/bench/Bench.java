package io.recur.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.recur.job.JobBench;
import io.recur.job.StatisticalBench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The benchmark suite's entry point; dev/bench runs each measurement in its own JVM and then
 * {@code table}. Every measurement writes its rows as a JSON list.
 *
 * <pre>
 *   Bench compute|spark|data [--quick] OUT.json
 *   Bench scaling ONE_WORKER_METRICS.json TWO_WORKER_METRICS.json OUT.json
 *   Bench memory SAMPLES.txt OFFHEAP_NOTE OUT.json
 *   Bench statistical [--quick] moby|sms K,K,... OUT.json CURVES.json [--baseline CURVES.json] [--budget EPOCHS] [--set KEY=VALUE]...
 *   Bench score [--quick] RUN_DIR LINES.txt WORK_DIR OUT.json
 *   Bench serve [--quick] RUN_DIR LINES.txt WORK_DIR OUT.json
 *   Bench score-cluster EVENTS_DIR_1_WORKER EVENTS_DIR_2_WORKERS SCORE_1_WORKER_STDOUT OUT.json
 *   Bench table ROWS_DIR RESULT.json
 * </pre>
 */
public final class Bench {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Order of the table: the rows, then the levers. */
    private static final List<String> ORDER = List.of("gemm", "cell", "gru", "rnn", "peer", "spark", "scaling", "statistical",
            "score", "serve", "preprocessing",
            "padding", "memory", "lever");

    private Bench() {}

    public static void main(String[] args) throws Exception {
        PrintStream log = System.err;
        List<String> a = new ArrayList<>(Arrays.asList(args));
        boolean quick = a.remove("--quick");
        if (a.isEmpty()) throw new IllegalArgumentException("usage: Bench compute|spark|data|scaling|memory|table ...");
        String command = a.remove(0);
        switch (command) {
            case "compute" -> write(new ComputeRows(quick, log).measure(), a.get(0));
            case "spark" -> write(new JobBench(quick, log).spark(), a.get(0));
            case "data" -> write(new JobBench(quick, log).data(), a.get(0));
            case "scaling" -> write(scaling(run(Path.of(a.get(0))), run(Path.of(a.get(1)))), a.get(2));
            case "memory" -> write(memory(Files.readAllLines(Path.of(a.get(0))), a.get(1)), a.get(2));
            case "score" -> write(new io.recur.score.ScoreBench(quick, log).measure(a.get(0), Path.of(a.get(1)), Path.of(a.get(2))), a.get(3));
            case "serve" -> write(new io.recur.serve.ServeBench(quick, log).measure(a.get(0), Path.of(a.get(1)), Path.of(a.get(2))), a.get(3));
            case "score-cluster" -> write(io.recur.score.ScoreBench.cluster(Path.of(a.get(0)), Path.of(a.get(1)), Path.of(a.get(2))), a.get(3));
            case "table" -> table(Path.of(a.get(0)), Path.of(a.get(1)), quick);
            case "statistical" -> write(statistical(quick, log, a), a.get(2));
            default -> throw new IllegalArgumentException("unknown command " + command);
        }
        // Spark and ND4J leave non-daemon threads behind.
        System.exit(0);
    }

    /** The statistical-efficiency rows (issue 13 §1); see {@link StatisticalBench}. */
    private static List<Row> statistical(boolean quick, PrintStream log, List<String> a) throws IOException {
        List<Integer> ks = Arrays.stream(a.get(1).split(",")).map(Integer::parseInt).toList();
        List<String> overrides = new ArrayList<>();
        Path baseline = null;
        int budgetEpochs = 0;
        for (int i = 4; i < a.size(); i += 2) {
            switch (a.get(i)) {
                case "--baseline" -> baseline = Path.of(a.get(i + 1));
                case "--set" -> overrides.add(a.get(i + 1));
                case "--budget" -> budgetEpochs = Integer.parseInt(a.get(i + 1));
                default -> throw new IllegalArgumentException("statistical: unknown option " + a.get(i));
            }
        }
        return new StatisticalBench(quick, log).measure(a.get(0), ks, overrides, baseline, budgetEpochs,
                Path.of(a.get(3)));
    }

    /** A run's metrics.json with its training log (one record per epoch) under {@code /trainingLog}. */
    static JsonNode run(Path metrics) throws IOException {
        var node = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(metrics.toFile());
        var log = node.putArray("trainingLog");
        for (String line : Files.readAllLines(metrics.resolveSibling("training-log.jsonl")))
            if (!line.isBlank()) log.add(JSON.readTree(line));
        return node;
    }

    /**
     * How much worse, in held-out bits per character, the 2-worker model may be and still count as
     * equal: about 2% of the metric at this stage, a few times the estimated paired standard error
     * of two models scored on the same test characters (~100,000 of the whole book), and under one epoch's gain.
     */
    static final double SCALING_TOLERANCE_BITS = 0.05;

    /**
     * Row 4 and its time-to-quality companion, from {@link #run} of the same job on 1 and on 2
     * one-core workers, where the 2-worker run trained until its validation loss reached the
     * 1-worker run's best (dev/bench). Tokens/s is the median over the epochs after the first,
     * which includes the fresh executors' warm-up. The row is met when 2 workers reach 1.7 × the
     * tokens/s and their held-out bits per character are at most {@link #SCALING_TOLERANCE_BITS} worse.
     */
    static List<Row> scaling(JsonNode one, JsonNode two) {
        List<Double> rates1 = ratesAfterFirstEpoch(one), rates2 = ratesAfterFirstEpoch(two);
        double r1 = Row.median(rates1), r2 = Row.median(rates2);
        double bits1 = heldOutBits(one), bits2 = heldOutBits(two);
        double target = one.at("/training/bestValidationLoss").asDouble();
        boolean reached = two.at("/training/bestValidationLoss").asDouble() <= target;
        double seconds1 = secondsToBest(one), seconds2 = secondsToBest(two);
        String protocol = one.path("job").asText() + ", " + one.at("/training/examples").asLong() + " training examples; "
                + "1 worker " + one.at("/training/epochs").asInt() + " epochs, best validation loss " + Row.number(target)
                + "; 2 workers until validation loss <= that: " + (reached ? "reached" : "NOT reached") + " in "
                + two.at("/training/bestEpoch").asInt() + " epochs; tokens/s = median over epochs after the first; "
                + "1 worker " + Row.number(r1) + " tokens/s";
        String quality = "held-out bits/char 1 worker " + Row.number(bits1) + ", 2 workers " + Row.number(bits2);
        Row rate = Row.reference("scaling", "standalone cluster, 2 workers x 1 core vs 1 worker x 1 core, each worker bound to its own CPU",
                        protocol + "; " + quality, rates2, "tokens/s")
                .judged("2 workers / 1 worker tokens/s", r2 / r1, Target.atLeast(1.7))
                .alsoRequiring("2 workers held-out <= 1 worker + " + Row.number(SCALING_TOLERANCE_BITS) + " bits/char",
                        reached && bits2 <= bits1 + SCALING_TOLERANCE_BITS);
        Row time = Row.reference("scaling-time-to-quality", "fit seconds to the 1-worker run's best validation loss, 2 workers",
                        "as scaling; validation passes not counted; 1 worker " + Row.number(seconds1) + " s in "
                                + one.at("/training/bestEpoch").asInt() + " epochs, 2 workers in " + two.at("/training/bestEpoch").asInt(),
                        List.of(seconds2), "s")
                .judged("1 worker / 2 workers seconds", seconds1 / seconds2, null);
        return List.of(rate, time);
    }

    private static List<Double> ratesAfterFirstEpoch(JsonNode run) {
        List<Double> rates = new ArrayList<>();
        for (JsonNode e : run.path("trainingLog")) rates.add(e.path("tokensPerSecond").asDouble());
        if (rates.isEmpty()) throw new IllegalArgumentException("run " + run.path("runId").asText() + " has no training log");
        return rates.size() == 1 ? rates : rates.subList(1, rates.size());
    }

    private static double secondsToBest(JsonNode run) {
        int best = run.at("/training/bestEpoch").asInt();
        double seconds = 0;
        for (JsonNode e : run.path("trainingLog")) if (e.path("epoch").asInt() <= best) seconds += e.path("seconds").asDouble();
        return seconds;
    }

    private static double heldOutBits(JsonNode run) {
        JsonNode bits = run.at("/heldOut/bitsPerToken");
        if (!bits.isNumber())
            throw new IllegalArgumentException("the scaling row compares held-out bits per token; job "
                    + run.path("job").asText() + " (task " + run.path("task").asText() + ") has none: use a language-model job");
        return bits.asDouble();
    }

    /**
     * Row 7 from lines {@code ROLE PID VmHWM_KB} sampled while the job ran; the last sample of a
     * process is its peak, as VmHWM only grows.
     */
    static List<Row> memory(List<String> samples, String settings) {
        Map<String, Long> peakKb = new TreeMap<>();
        for (String line : samples) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3) peakKb.merge(f[0] + " " + f[1], Long.parseLong(f[2]), Math::max);
        }
        if (peakKb.isEmpty()) throw new IllegalArgumentException("no memory samples");
        List<Double> gb = peakKb.values().stream().map(kb -> kb / 1024.0 / 1024.0).toList();
        double total = gb.stream().mapToDouble(Double::doubleValue).sum();
        StringBuilder each = new StringBuilder();
        peakKb.forEach((proc, kb) -> each.append(each.length() == 0 ? "" : ", ").append(proc.split(" ")[0])
                .append(' ').append(Row.number(kb / 1024.0 / 1024.0)).append(" GB"));
        Row row = new Row("memory-default", "peak resident memory (VmHWM) of driver and executors, jobs/default.conf",
                each + "; " + settings, total, "GB", gb, null, null, null, null);
        return List.of(row.judged("total peak GB", total, Target.atMost(4.0)));
    }

    private static void write(List<Row> rows, String out) throws IOException {
        Path path = Path.of(out);
        if (path.getParent() != null) Files.createDirectories(path.getParent());
        JSON.writeValue(path.toFile(), rows);
    }

    /** Prints the rows of every {@code *.json} in the directory and writes them as one document. */
    static void table(Path dir, Path result, boolean quick) throws IOException {
        List<Row> rows = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                rows.addAll(JSON.readValue(f.toFile(), new TypeReference<List<Row>>() {}));
            }
        }
        rows.sort((x, y) -> Integer.compare(rank(x.id()), rank(y.id())));
        System.out.println(render(rows));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("createdAt", Instant.now().toString());
        doc.put("quick", quick);
        doc.put("cores", Runtime.getRuntime().availableProcessors());
        doc.put("loadAverage", Files.readString(Path.of("/proc/loadavg")).trim());
        doc.put("rows", rows);
        Files.createDirectories(result.toAbsolutePath().getParent());
        JSON.writeValue(result.toFile(), doc);
    }

    private static int rank(String id) {
        for (int i = 0; i < ORDER.size(); i++) if (id.startsWith(ORDER.get(i))) return i;
        return ORDER.size();
    }

    /** A Markdown table, so the README can show it as printed. */
    static String render(List<Row> rows) {
        StringBuilder s = new StringBuilder();
        s.append("| row | measured | configuration | median | ratio | value | target | met |\n");
        s.append("|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            s.append(String.format(Locale.ROOT, "| %s | %s | %s | %s %s | %s | %s | %s | %s |%n", r.id(), r.measured(),
                    r.configuration(), Row.number(r.median()), r.unit(), r.ratioName() == null ? "" : r.ratioName(),
                    r.ratio() == null ? "" : Row.number(r.ratio()), r.target() == null ? "" : r.target(),
                    r.met() == null ? "" : r.met() ? "yes" : "**no**"));
        }
        return s.toString();
    }
}
