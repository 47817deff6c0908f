package io.recur.score;

import io.recur.bench.Row;
import io.recur.bench.Target;
import io.recur.job.PredictJob;
import io.recur.run.SavedRun;
import io.recur.job.SparkContexts;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The scoring row (issue 16 §2): rows per second of {@code score} in {@code local[2]} against the
 * loop {@code predict} runs in one JVM, on the same lines and the same saved run. Spark's start-up is
 * outside both timings (a context made once; predict's JVM start is not counted either): the row
 * compares the scoring itself. Public for io.recur.bench.Bench.
 */
public final class ScoreBench {
    private final boolean quick;
    private final PrintStream log;

    public ScoreBench(boolean quick, PrintStream log) {
        this.quick = quick;
        this.log = log;
    }

    /**
     * @param runDir a saved classifier run
     * @param lines  a text file, one row per line
     * @param work   an empty directory for the outputs
     */
    public List<Row> measure(String runDir, Path lines, Path work) throws IOException {
        List<String> texts = Files.readAllLines(lines, StandardCharsets.UTF_8);
        SavedRun run = SavedRun.read(runDir, new Configuration());
        int repetitions = quick ? 1 : 3;

        PredictJob predict = new PredictJob(run, null);
        for (String t : texts.subList(0, Math.min(500, texts.size()))) predict.predict(t);   // JIT warm-up
        List<Double> predictRates = new ArrayList<>();
        for (int r = 0; r < repetitions; r++) {
            long t0 = System.nanoTime();
            for (String t : texts) predict.predict(t);
            predictRates.add(texts.size() / seconds(t0));
        }
        log.printf("score: predict in one JVM %s rows/s%n", Row.number(Row.median(predictRates)));

        List<Double> scoreRates = new ArrayList<>();
        try (JavaSparkContext sc = new JavaSparkContext(SparkContexts.withRecurSettings(new SparkConf()
                .setMaster("local[2]").setAppName("recur bench score").set("spark.ui.enabled", "false")))) {
            ScoreJob job = new ScoreJob(run, runDir, null);
            var source = new TextFileSource(List.of(lines.toString()), run.spec().corpus());
            job.run(sc, source, work.resolve("warm-up").toString(), OutputFormat.PARQUET, false);
            for (int r = 0; r < repetitions; r++) {
                long t0 = System.nanoTime();
                ScoreReport report = job.run(sc, source, work.resolve("scored-" + r).toString(), OutputFormat.PARQUET, false);
                scoreRates.add(report.rows() / seconds(t0));
            }
        }
        double predictRate = Row.median(predictRates), scoreRate = Row.median(scoreRates);
        log.printf("score: local[2] %s rows/s%n", Row.number(scoreRate));
        String configuration = texts.size() + " lines of " + lines.getFileName() + ", run " + runDir
                + "; parquet output; Spark and JVM start-up not timed; predict " + Row.number(predictRate) + " rows/s";
        return List.of(Row.reference("score-local2", "score in local[2] against predict's loop in one JVM",
                        configuration, scoreRates, "rows/s")
                .judged("score rows/s per core (/ 2) / predict rows/s", scoreRate / 2 / predictRate, Target.atLeast(1.0)));
    }

    /**
     * The cluster row: {@code score} of the same lines submitted twice to the standalone cluster
     * (dev/bench), on 1 and on 2 one-core workers, each a fresh application. Its rate is the rows
     * over the time its Spark jobs ran, from the application's event log, so the context's and the
     * executors' start-up are outside it and the executors' JIT warm-up inside.
     *
     * @param events1 the event log directory of the 1-worker application, holding its one log
     * @param report1 the 1-worker {@code score}'s stdout, ending in its JSON summary
     */
    public static List<Row> cluster(Path events1, Path events2, Path report1) throws IOException {
        double seconds1 = jobSeconds(events1), seconds2 = jobSeconds(events2);
        List<String> out = Files.readAllLines(report1, StandardCharsets.UTF_8);
        int start = out.indexOf("{");
        long rows = io.recur.storage.Json.tree(String.join("\n", out.subList(start, out.size()))).get("rows").asLong();
        double rate1 = rows / seconds1, rate2 = rows / seconds2;
        String configuration = rows + " lines, parquet output, scripts/submit score with spark.cores.max = 1, then 2;"
                + " seconds = the Spark jobs' span in the event log (context and executor start-up not timed); 1 worker "
                + Row.number(rate1) + " rows/s in " + Row.number(seconds1) + " s, 2 workers " + Row.number(seconds2) + " s";
        return List.of(Row.reference("score-cluster", "score on the standalone cluster, 2 workers x 1 core vs 1 worker x 1 core,"
                        + " each worker bound to its own CPU", configuration, List.of(rate2), "rows/s")
                .judged("2 workers / 1 worker rows/s", rate2 / rate1, Target.atLeast(1.7)));
    }

    /** From the first job's submission to the last job's end, in the one event log under {@code dir}. */
    private static double jobSeconds(Path dir) throws IOException {
        List<Path> logs;
        try (var files = Files.list(dir)) {
            logs = files.filter(Files::isRegularFile).toList();
        }
        if (logs.size() != 1) throw new IllegalArgumentException(dir + ": expected one event log, found " + logs);
        long first = Long.MAX_VALUE, last = Long.MIN_VALUE;
        for (String line : Files.readAllLines(logs.get(0), StandardCharsets.UTF_8)) {
            if (line.contains("\"SparkListenerJobStart\"")) {
                first = Math.min(first, io.recur.storage.Json.tree(line).get("Submission Time").asLong());
            } else if (line.contains("\"SparkListenerJobEnd\"")) {
                last = Math.max(last, io.recur.storage.Json.tree(line).get("Completion Time").asLong());
            }
        }
        if (first == Long.MAX_VALUE || last < first) throw new IllegalArgumentException(logs.get(0) + ": no Spark job in it");
        return (last - first) / 1e3;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
