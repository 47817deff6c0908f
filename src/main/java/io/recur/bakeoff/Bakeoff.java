package io.recur.bakeoff;

import io.recur.config.BakeoffSpec;
import io.recur.config.Cell;
import io.recur.config.JobSpec;
import io.recur.config.JobSpecLoader;
import io.recur.config.SpecException;
import io.recur.config.UserInputException;
import io.recur.eval.Metric;
import io.recur.task.TaskKind;
import io.recur.data.PreparedData;
import io.recur.run.RunDirectory;
import io.recur.job.SparkContexts;
import io.recur.job.TrainJob;
import io.recur.job.TrainOptions;
import io.recur.job.TrainRequest;
import io.recur.report.BakeoffComparison;
import io.recur.report.BakeoffReport;
import io.recur.report.SeedInterval;
import io.recur.run.RunMetrics;
import io.recur.run.TrainingSummary;
import io.recur.storage.Json;
import io.recur.train.EpochRecord;
import io.recur.train.TrainingDivergedException;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Trains one job once per cell, per value of the swept key and per seed, in one Spark context, and
 * writes {@code <output.dir>/<job>/bakeoff-<id>/}: each run's ordinary run directory, named
 * {@code <cell>-seed-<seed>} or {@code <cell>-<key>-<value>-seed-<seed>}, then {@code comparison.json},
 * {@code report.html} and {@code report.md} with its charts. The directory is renamed into place
 * only when complete.
 *
 * <p>The seeds are the job's {@code job.seed} and the next {@code bakeoff.seeds - 1} numbers. For
 * each value and seed the data is prepared once and shared by all cells (the same partitions,
 * vocabulary, splits and minibatches); it is prepared again only when the swept value or the seed
 * changes it. Hidden sizes follow {@link ParameterMatching}. A run whose training diverges is
 * reported as such and the bake-off goes on; any other failure stops it and publishes nothing.
 *
 * <p>Every member spec is loaded and validated in the constructor, before Spark starts.
 */
public final class Bakeoff {
    static final String COMPARISON = "comparison.json";

    private final Path jobFile;
    private final List<String> overrides;
    private final BakeoffSpec bakeoff;
    private final PrintStream console;
    /** Per swept value (one entry without a sweep): the job with the reference cell and the job's hidden size. */
    private final List<JobSpec> references = new ArrayList<>();
    private final List<Long> seeds = new ArrayList<>();

    /**
     * @param overrides {@code --set} values, applied before the sweep's and the cell's
     * @throws io.recur.config.UserInputException if a member's spec is invalid; the message names
     *                                            the swept key and value
     */
    public Bakeoff(Path jobFile, List<String> overrides, BakeoffSpec bakeoff, PrintStream console) {
        this.jobFile = jobFile;
        this.overrides = List.copyOf(overrides);
        this.bakeoff = bakeoff;
        this.console = console;
        long first = JobSpecLoader.load(jobFile, this.overrides).seed();
        if (first > Long.MAX_VALUE - (bakeoff.seeds() - 1))
            throw new UserInputException("job.seed = " + first + " leaves no room for " + bakeoff.seeds()
                    + " seeds counting up from it; choose a smaller job.seed");
        for (int i = 0; i < bakeoff.seeds(); i++) seeds.add(first + i);
        for (int v = 0; v < values().size(); v++) {
            references.add(load(v, ParameterMatching.REFERENCE, null, seeds.get(0)));
            for (Cell cell : bakeoff.cells()) load(v, cell, null, seeds.get(0));
        }
    }

    /** Starts Spark with the first member's settings, runs the bake-off, stops Spark. */
    public Result run(String masterOverride) {
        JobSpec first = references.get(0);
        RunDirectory dir = RunDirectory.create(first.output().dir(), first.name(),
                new org.apache.hadoop.conf.Configuration(), "bakeoff-");
        JavaSparkContext sc;
        try {
            sc = SparkContexts.start(first, masterOverride);
        } catch (Throwable e) {
            dir.discard();
            throw e;
        }
        try {
            return run(sc, dir);
        } finally {
            sc.stop();
        }
    }

    /** Runs every member with a running Spark context into a prepared bake-off directory, then publishes it. */
    public Result run(JavaSparkContext sc, RunDirectory dir) {
        try {
            return runMembers(sc, dir);
        } catch (Throwable e) {
            // Throwable: Spark throws its checked SparkException undeclared.
            dir.discard();
            throw e;
        }
    }

    private Result runMembers(JavaSparkContext sc, RunDirectory dir) {
        long start = System.nanoTime();
        List<BakeoffComparison.Member> members = new ArrayList<>();
        Set<String> names = new HashSet<>();
        PreparedData prepared = null;
        try {
            for (int v = 0; v < values().size(); v++) {
                List<Cell> cells = bakeoff.cells();
                List<List<BakeoffComparison.SeedRun>> runs = new ArrayList<>();
                for (Cell ignored : cells) runs.add(new ArrayList<>());
                int[] hidden = new int[cells.size()];
                long[] parameters = new long[cells.size()];
                for (long seed : seeds) {
                    JobSpec reference = load(v, ParameterMatching.REFERENCE, null, seed);
                    if (prepared == null || !prepared.fits(reference)) {
                        if (prepared != null) prepared.close();
                        console.printf("bake-off: preparing data%s, seed %d%n", sweepLabel(v), seed);
                        prepared = PreparedData.prepare(sc, reference, null, console);
                    }
                    for (int c = 0; c < cells.size(); c++) {
                        Cell cell = cells.get(c);
                        hidden[c] = ParameterMatching.hiddenSize(reference.model(), cell, prepared.shape());
                        JobSpec spec = load(v, cell, hidden[c], seed);
                        parameters[c] = ParameterMatching.parameters(spec.model(), cell, hidden[c], prepared.shape());
                        String name = memberName(cell, v, seed, names);
                        console.printf("bake-off: %s%s, seed %d, hidden size %d%n", cell.id(), sweepLabel(v), seed, hidden[c]);
                        runs.get(c).add(train(sc, dir, spec, prepared, cell, v, name));
                    }
                }
                for (int c = 0; c < cells.size(); c++)
                    members.add(new BakeoffComparison.Member(cells.get(c).id(), values().get(v), hidden[c], parameters[c],
                            runs.get(c)));
            }
        } finally {
            if (prepared != null) prepared.close();
        }
        BakeoffComparison comparison = comparison(dir.runId(), members, (System.nanoTime() - start) / 1e9);
        try {
            try (OutputStream out = dir.create(COMPARISON)) {
                Json.write(out, comparison.toJson());
            }
            for (Map.Entry<String, byte[]> file : BakeoffReport.files(comparison).entrySet()) {
                try (OutputStream out = dir.create(file.getKey())) {
                    out.write(file.getValue());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing the bake-off failed: " + e.getMessage(), e);
        }
        org.apache.hadoop.fs.Path published = dir.publish();
        // A local directory as a plain path, as users type it; other file systems keep their scheme.
        return new Result("file".equals(published.toUri().getScheme()) ? published.toUri().getPath()
                : published.toString(), comparison);
    }

    /** Where the bake-off was published and what it measured. */
    public record Result(String directory, BakeoffComparison comparison) {}

    private BakeoffComparison.SeedRun train(JavaSparkContext sc, RunDirectory dir, JobSpec spec, PreparedData prepared,
                                            Cell cell, int value, String name) {
        String metric = TaskKind.of(spec.task()).headline().key();
        try {
            TrainJob.TrainResult result = new TrainJob(spec, console, false).run(TrainRequest.in(sc, dir.member(name)).with(TrainOptions.on(prepared)));
            RunMetrics m = result.metrics();
            TrainingSummary training = m.training();
            return new BakeoffComparison.SeedRun(spec.seed(), name, "ok",
                    number(m.heldOut().get(metric)).doubleValue(), number(m.baseline().get(metric)).doubleValue(),
                    m.strongBaseline() == null ? null : number(m.strongBaseline().get(metric)).doubleValue(),
                    training.seconds(), training.tokensPerSecond(), training.epochs(), training.bestEpoch(),
                    training.bestValidationLoss(),
                    result.epochs().stream().map(EpochRecord::validationLoss).toList());
        } catch (TrainingDivergedException e) {
            console.printf("bake-off: %s%s, seed %d diverged (%s); reported, no run directory%n", cell.id(),
                    sweepLabel(value), spec.seed(), e.getMessage());
            return new BakeoffComparison.SeedRun(spec.seed(), null, "diverged", null, null, null, Double.NaN, Double.NaN,
                    0, 0, Double.NaN, List.of());
        }
    }

    private BakeoffComparison comparison(String id, List<BakeoffComparison.Member> members, double seconds) {
        JobSpec first = references.get(0);
        Metric metric = TaskKind.of(first.task()).headline();
        BakeoffSpec.Sweep sweep = bakeoff.sweep();
        return new BakeoffComparison(first.name(), id, first.task(), metric.key(), metric.lowerIsBetter(),
                sweep == null ? null : sweep.key(), values(), bakeoff.cells().stream().map(Cell::id).toList(), seeds,
                first.model().hiddenSize(), seconds, members, first.resolvedText());
    }

    /** The swept values, or one empty value when only the cells are compared. */
    private List<String> values() {
        return bakeoff.sweep() == null ? List.of("") : bakeoff.sweep().values();
    }

    /** The spec of one run; without a hidden size, the job's own (for validation and the reference). */
    private JobSpec load(int value, Cell cell, Integer hiddenSize, long seed) {
        List<String> all = new ArrayList<>(overrides);
        BakeoffSpec.Sweep sweep = bakeoff.sweep();
        if (sweep != null) all.add(sweep.override(value));
        all.add("job.seed=" + seed);
        all.add("model.cell=" + cell.id());
        if (hiddenSize != null) all.add("model.hidden-size=" + hiddenSize);
        try {
            return JobSpecLoader.load(jobFile, all);
        } catch (SpecException e) {
            if (sweep == null) throw e;
            throw new SpecException(sweep.origin() + ": " + sweep.key() + " = " + sweep.values().get(value)
                    + " does not make a valid job: " + e.getMessage(), e);
        }
    }

    private String sweepLabel(int value) {
        BakeoffSpec.Sweep sweep = bakeoff.sweep();
        return sweep == null ? "" : " with " + sweep.key() + " = " + sweep.values().get(value);
    }

    /** {@code lstm-seed-42} or {@code lstm-steps-50-seed-42}; characters a directory name should not hold become '_'. */
    private String memberName(Cell cell, int value, long seed, Set<String> taken) {
        BakeoffSpec.Sweep sweep = bakeoff.sweep();
        String suffix = "-seed-" + seed;
        String name = cell.id() + suffix;
        if (sweep != null) {
            name = cell.id() + "-" + sweep.shortKey() + "-" + sweep.values().get(value).replaceAll("[^A-Za-z0-9._-]", "_")
                    + suffix;
            // Two values can look alike once cleaned (two paths, say); the position keeps them apart.
            if (taken.contains(name)) name = cell.id() + "-" + sweep.shortKey() + "-" + (value + 1) + suffix;
        }
        taken.add(name);
        return name;
    }

    private static Number number(Object value) {
        return value instanceof Number n ? n : Double.NaN;
    }

    /**
     * The comparison as a plain-text table, as the command prints it: per member the mean of the
     * metric over its seeds, the 95% interval, the baseline's and (where fitted) the strong baseline's
     * mean and the mean training seconds;
     * {@code *} marks the cell whose interval is apart from every other cell's and the baseline's.
     */
    public static String table(BakeoffComparison c) {
        StringBuilder out = new StringBuilder();
        boolean strong = c.members().stream().anyMatch(BakeoffComparison.Member::hasStrongBaseline);
        String header = String.format(Locale.ROOT, "%-6s %12s %7s %10s %12s %21s %10s%s %5s %9s%n", "cell",
                c.sweepKey() == null ? "" : shortKey(c.sweepKey()), "hidden", "params", c.metric(), "95% interval",
                "baseline", strong ? String.format(Locale.ROOT, " %10s", "strong") : "", "seeds", "seconds");
        out.append(header);
        for (BakeoffComparison.Member m : c.members()) {
            SeedInterval metric = m.heldOut();
            String interval = metric.hasInterval()
                    ? String.format(Locale.ROOT, "[%.4f, %.4f]", metric.low(), metric.high()) : "–";
            out.append(String.format(Locale.ROOT, "%-6s %12s %7d %,10d %12s %21s %10s%s %5s %9.1f%s%n", m.cell(),
                    m.sweepValue(), m.hiddenSize(), m.parameters(),
                    m.anyOk() ? String.format(Locale.ROOT, "%.4f", metric.mean()) : "diverged", interval,
                    m.anyOk() ? String.format(Locale.ROOT, "%.4f", m.baseline().mean()) : "–",
                    !strong ? "" : String.format(Locale.ROOT, " %10s", m.hasStrongBaseline()
                            ? String.format(Locale.ROOT, "%.4f", m.strongBaseline().mean()) : "–"),
                    m.okRuns().size() + "/" + m.runs().size(), m.meanTrainingSeconds(),
                    BakeoffReport.isBest(c, m) ? " *" : ""));
        }
        out.append(c.seeds().size() < 2 ? "one seed: no interval, no difference marked\n"
                : "* apart: its 95% t-interval over the seeds does not overlap any other cell's or the baseline's\n");
        return out.toString();
    }

    private static String shortKey(String key) {
        return key.substring(key.lastIndexOf('.') + 1);
    }
}
