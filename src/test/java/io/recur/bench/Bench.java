package io.recur.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.recur.job.JobBench;

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
 * The benchmark suite's entry point; scripts/bench runs each measurement in its own JVM and then
 * {@code table}. Every measurement writes its rows as a JSON list.
 *
 * <pre>
 *   Bench compute|spark|data [--quick] OUT.json
 *   Bench scaling ONE_WORKER_METRICS.json TWO_WORKER_METRICS.json OUT.json
 *   Bench memory SAMPLES.txt OFFHEAP_NOTE OUT.json
 *   Bench table ROWS_DIR RESULT.json
 * </pre>
 */
public final class Bench {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Order of the table: the rows, then the levers. */
    private static final List<String> ORDER = List.of("gemm", "cell", "gru", "spark", "scaling", "preprocessing",
            "padding", "memory", "lever");

    private Bench() {}

    public static void main(String[] args) throws IOException {
        PrintStream log = System.err;
        List<String> a = new ArrayList<>(Arrays.asList(args));
        boolean quick = a.remove("--quick");
        if (a.isEmpty()) throw new IllegalArgumentException("usage: Bench compute|spark|data|scaling|memory|table ...");
        String command = a.remove(0);
        switch (command) {
            case "compute" -> write(new ComputeRows(quick, log).measure(), a.get(0));
            case "spark" -> write(new JobBench(quick, log).spark(), a.get(0));
            case "data" -> write(new JobBench(quick, log).data(), a.get(0));
            case "scaling" -> write(List.of(scaling(run(Path.of(a.get(0))), run(Path.of(a.get(1))))), a.get(2));
            case "memory" -> write(memory(Files.readAllLines(Path.of(a.get(0))), a.get(1)), a.get(2));
            case "table" -> table(Path.of(a.get(0)), Path.of(a.get(1)), quick);
            default -> throw new IllegalArgumentException("unknown command " + command);
        }
        // Spark and ND4J leave non-daemon threads behind.
        System.exit(0);
    }

    /**
     * A run's metrics.json, with {@code /training/lastEpochTokensPerSecond} from its training log:
     * the first epoch includes the fresh executors' warm-up (JIT, ND4J start), later ones do not.
     */
    static JsonNode run(Path metrics) throws IOException {
        var node = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(metrics.toFile());
        List<String> log = Files.readAllLines(metrics.resolveSibling("training-log.jsonl"));
        double last = JSON.readTree(log.get(log.size() - 1)).path("tokensPerSecond").asDouble();
        ((com.fasterxml.jackson.databind.node.ObjectNode) node.path("training")).put("lastEpochTokensPerSecond", last);
        return node;
    }

    /** Row 4 from {@link #run} of the same job on one and on two one-core workers: last-epoch rates. */
    static Row scaling(JsonNode one, JsonNode two) {
        double r1 = one.at("/training/lastEpochTokensPerSecond").asDouble();
        double r2 = two.at("/training/lastEpochTokensPerSecond").asDouble();
        String metric = two.at("/heldOut/bitsPerToken").isMissingNode() ? "accuracy" : "bitsPerToken";
        return Row.reference("scaling", "standalone cluster, 2 workers x 1 core vs 1 worker x 1 core",
                        one.path("job").asText() + ", " + one.at("/training/examples").asLong() + " training examples, "
                                + one.at("/training/epochs").asInt() + " epochs, tokens/s of the last; 1 worker " + Row.number(r1)
                                + "; held-out " + metric + " 1 worker " + Row.number(one.at("/heldOut/" + metric).asDouble())
                                + ", 2 workers " + Row.number(two.at("/heldOut/" + metric).asDouble()),
                        List.of(r2), "tokens/s")
                .judged("2 workers / 1 worker tokens/s", r2 / r1, Target.atLeast(1.7));
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
