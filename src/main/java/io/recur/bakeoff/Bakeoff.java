package io.recur.bakeoff;

import io.recur.config.BakeoffSpec;
import io.recur.config.Cell;
import io.recur.config.JobSpec;
import io.recur.config.JobSpecLoader;
import io.recur.config.SpecException;
import io.recur.eval.Metric;
import io.recur.task.TaskKind;
import io.recur.job.PreparedData;
import io.recur.job.RunDirectory;
import io.recur.job.SparkContexts;
import io.recur.job.TrainJob;
import io.recur.report.BakeoffComparison;
import io.recur.report.BakeoffReport;
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
 * Trains one job once per cell and per value of the swept key, in one Spark context, and writes
 * {@code <output.dir>/<job>/bakeoff-<id>/}: each member's ordinary run directory, named
 * {@code <cell>} or {@code <cell>-<key>-<value>}, then {@code comparison.json}, {@code report.html}
 * and {@code report.md} with its charts. The directory is renamed into place only when complete.
 *
 * <p>The data is prepared once and shared by all cells (the same partitions, vocabulary, splits and
 * minibatches); it is prepared again only for a swept value that changes it. Hidden sizes follow
 * {@link ParameterMatching}. A member whose training diverges is reported as such and the bake-off
 * goes on; any other failure stops it and publishes nothing.
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
        for (int v = 0; v < values().size(); v++) {
            references.add(load(v, ParameterMatching.REFERENCE, null));
            for (Cell cell : bakeoff.cells()) load(v, cell, null);
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
                JobSpec reference = references.get(v);
                if (prepared == null || !prepared.fits(reference)) {
                    if (prepared != null) prepared.close();
                    console.printf("bake-off: preparing data%s%n", sweepLabel(v));
                    prepared = new TrainJob(reference, console, false).prepare(sc);
                }
                for (Cell cell : bakeoff.cells()) {
                    int hidden = ParameterMatching.hiddenSize(reference.model(), cell, prepared.shape());
                    JobSpec spec = load(v, cell, hidden);
                    String name = memberName(cell, v, names);
                    console.printf("bake-off: %s%s, hidden size %d%n", cell.id(), sweepLabel(v), hidden);
                    members.add(train(sc, dir, spec, prepared, cell, v, name));
                }
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

    private BakeoffComparison.Member train(JavaSparkContext sc, RunDirectory dir, JobSpec spec, PreparedData prepared,
                                           Cell cell, int value, String name) {
        String metric = TaskKind.of(spec.task()).headline().key();
        long parameters = ParameterMatching.parameters(spec.model(), cell, spec.model().hiddenSize(), prepared.shape());
        try {
            TrainJob.TrainResult result = new TrainJob(spec, console, false).run(sc, dir.member(name), prepared);
            RunMetrics m = result.metrics();
            TrainingSummary training = m.training();
            return new BakeoffComparison.Member(cell.id(), values().get(value), name,
                    spec.model().hiddenSize(), training.parameters(), "ok",
                    number(m.heldOut().get(metric)).doubleValue(), number(m.baseline().get(metric)).doubleValue(),
                    training.seconds(), training.tokensPerSecond(), training.epochs(), training.bestEpoch(),
                    training.bestValidationLoss(),
                    result.epochs().stream().map(EpochRecord::validationLoss).toList());
        } catch (TrainingDivergedException e) {
            console.printf("bake-off: %s%s diverged (%s); reported, no run directory%n", cell.id(),
                    sweepLabel(value), e.getMessage());
            return new BakeoffComparison.Member(cell.id(), values().get(value), null,
                    spec.model().hiddenSize(), parameters, "diverged", null, null, Double.NaN, Double.NaN, 0, 0,
                    Double.NaN, List.of());
        }
    }

    private BakeoffComparison comparison(String id, List<BakeoffComparison.Member> members, double seconds) {
        JobSpec first = references.get(0);
        Metric metric = TaskKind.of(first.task()).headline();
        BakeoffSpec.Sweep sweep = bakeoff.sweep();
        return new BakeoffComparison(first.name(), id, first.task(), metric.key(), metric.lowerIsBetter(),
                sweep == null ? null : sweep.key(), values(), bakeoff.cells().stream().map(Cell::id).toList(),
                first.model().hiddenSize(), seconds, members, first.resolvedText());
    }

    /** The swept values, or one empty value when only the cells are compared. */
    private List<String> values() {
        return bakeoff.sweep() == null ? List.of("") : bakeoff.sweep().values();
    }

    /** The spec of one member; without a hidden size, the job's own (for validation and the reference). */
    private JobSpec load(int value, Cell cell, Integer hiddenSize) {
        List<String> all = new ArrayList<>(overrides);
        BakeoffSpec.Sweep sweep = bakeoff.sweep();
        if (sweep != null) all.add(sweep.override(value));
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

    /** {@code lstm} or {@code lstm-steps-50}; characters a directory name should not hold become '_'. */
    private String memberName(Cell cell, int value, Set<String> taken) {
        BakeoffSpec.Sweep sweep = bakeoff.sweep();
        String name = cell.id();
        if (sweep != null) {
            name += "-" + sweep.shortKey() + "-" + sweep.values().get(value).replaceAll("[^A-Za-z0-9._-]", "_");
            // Two values can look alike once cleaned (two paths, say); the position keeps them apart.
            if (taken.contains(name)) name = cell.id() + "-" + sweep.shortKey() + "-" + (value + 1);
        }
        taken.add(name);
        return name;
    }

    private static Number number(Object value) {
        return value instanceof Number n ? n : Double.NaN;
    }

    /** The comparison as a plain-text table, as the command prints it. */
    public static String table(BakeoffComparison c) {
        StringBuilder out = new StringBuilder();
        String header = String.format(Locale.ROOT, "%-6s %12s %7s %10s %12s %12s %9s %9s %6s %10s%n", "cell",
                c.sweepKey() == null ? "" : shortKey(c.sweepKey()), "hidden", "params", c.metric(), "baseline",
                "seconds", "tokens/s", "best", "val.loss");
        out.append(header);
        for (BakeoffComparison.Member m : c.members()) {
            out.append(String.format(Locale.ROOT, "%-6s %12s %7d %,10d %12s %12s %9.1f %,9.0f %6d %10.4f%n", m.cell(),
                    m.sweepValue(), m.hiddenSize(), m.parameters(), m.ok() ? String.format(Locale.ROOT, "%.4f", m.heldOut()) : m.status(),
                    m.baseline() == null ? "–" : String.format(Locale.ROOT, "%.4f", m.baseline()), m.trainingSeconds(),
                    m.tokensPerSecond(), m.epochsToBest(), m.bestValidationLoss()));
        }
        return out.toString();
    }

    private static String shortKey(String key) {
        return key.substring(key.lastIndexOf('.') + 1);
    }
}
