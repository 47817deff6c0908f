package io.recur.report;

import io.recur.config.Task;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a bake-off measured: one member per cell and swept value, each trained once per seed, all
 * members of one value and seed on the same data. It is written as {@code comparison.json}
 * ({@link #toJson}) and drawn by {@link BakeoffReport}.
 *
 * @param metric              the task's headline held-out metric ({@code mse}, {@code accuracy}, ...)
 * @param sweepKey            the swept job key, or null when only cells are compared
 * @param sweepValues         its values in the order given; a single empty string without a sweep
 * @param seeds               the job seeds every member ran with, in order
 * @param referenceHiddenSize the job's hidden size, which the reference cell (lstm) gets
 * @param seconds             wall-clock seconds of the whole bake-off, data preparation included
 * @param resolvedSpec        the job spec of the first member with the reference cell, for the report
 */
public record BakeoffComparison(String job, String bakeoffId, Task task, String metric, boolean lowerIsBetter,
                                String sweepKey, List<String> sweepValues, List<String> cells, List<Long> seeds,
                                int referenceHiddenSize, double seconds, List<Member> members, String resolvedSpec) {
    public BakeoffComparison {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(task, "task");
        sweepValues = List.copyOf(sweepValues);
        cells = List.copyOf(cells);
        seeds = List.copyOf(seeds);
        members = List.copyOf(members);
    }

    /**
     * One cell at one swept value: the same network trained once per seed.
     *
     * @param runs one per seed, in seed order
     */
    public record Member(String cell, String sweepValue, int hiddenSize, long parameters, List<SeedRun> runs) {
        public Member {
            runs = List.copyOf(runs);
            if (runs.isEmpty()) throw new IllegalArgumentException("a member has at least one run");
        }

        /** Whether every seed trained without diverging. */
        public boolean ok() {
            return runs.stream().allMatch(SeedRun::ok);
        }

        /** Whether at least one seed trained without diverging. */
        public boolean anyOk() {
            return runs.stream().anyMatch(SeedRun::ok);
        }

        /** The held-out metric over the seeds that did not diverge. */
        public SeedInterval heldOut() {
            return SeedInterval.of(okRuns().stream().map(SeedRun::heldOut).toList());
        }

        /** The baseline's value of the metric over the same seeds (it moves with the seed where the data does). */
        public SeedInterval baseline() {
            return SeedInterval.of(okRuns().stream().map(SeedRun::baseline).toList());
        }

        /** Whether the task's strong baseline was fitted for these runs ({@code eval.strong-baseline}). */
        public boolean hasStrongBaseline() {
            return okRuns().stream().anyMatch(s -> s.strongBaseline() != null);
        }

        /** The strong baseline's value of the metric over the seeds it was fitted for. */
        public SeedInterval strongBaseline() {
            return SeedInterval.of(okRuns().stream().map(SeedRun::strongBaseline).filter(Objects::nonNull).toList());
        }

        public List<SeedRun> okRuns() {
            return runs.stream().filter(SeedRun::ok).toList();
        }

        public double meanTrainingSeconds() {
            return okRuns().stream().mapToDouble(SeedRun::trainingSeconds).average().orElse(Double.NaN);
        }

        public double meanTokensPerSecond() {
            return okRuns().stream().mapToDouble(SeedRun::tokensPerSecond).average().orElse(Double.NaN);
        }
    }

    /**
     * One member trained with one seed.
     *
     * @param runDirectory   the run's directory, relative to the bake-off directory; null if it diverged
     * @param status         {@code ok}, or {@code diverged} (no run directory; metrics null)
     * @param heldOut        the headline metric on the test split; null if the run diverged
     * @param baseline       the task baseline's value of the same metric
     * @param strongBaseline the task's strong baseline's value of the same metric, on the same test
     *                       examples; null when it was not fitted ({@code eval.strong-baseline = false})
     * @param epochsToBest   the epoch whose parameters were kept (1-based)
     * @param validationLoss validation loss per epoch, in order
     */
    public record SeedRun(long seed, String runDirectory, String status, Double heldOut, Double baseline,
                          Double strongBaseline, double trainingSeconds, double tokensPerSecond, int epochs, int epochsToBest,
                          double bestValidationLoss, List<Double> validationLoss) {
        public SeedRun {
            validationLoss = List.copyOf(validationLoss);
        }

        public boolean ok() {
            return "ok".equals(status);
        }
    }

    /** The members with one swept value, in cell order. */
    public List<Member> membersAt(String sweepValue) {
        return members.stream().filter(m -> m.sweepValue().equals(sweepValue)).toList();
    }

    /** The {@code comparison.json} document: the setup, then one row per member with its runs per seed. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job", job);
        m.put("bakeoffId", bakeoffId);
        m.put("task", task.label());
        m.put("metric", metric);
        m.put("lowerIsBetter", lowerIsBetter);
        m.put("sweepKey", sweepKey);
        m.put("sweepValues", sweepKey == null ? List.of() : sweepValues);
        m.put("cells", cells);
        m.put("seeds", seeds);
        m.put("interval", "95% Student-t interval over the seeds that did not diverge: mean ± t(0.975, n-1)·sd/√n");
        m.put("referenceCell", "lstm");
        m.put("referenceHiddenSize", referenceHiddenSize);
        m.put("seconds", seconds);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Member r : members) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("cell", r.cell());
            if (sweepKey != null) {
                row.put("sweepKey", sweepKey);
                row.put("sweepValue", r.sweepValue());
            }
            row.put("status", r.ok() ? "ok" : r.anyOk() ? "some-diverged" : "diverged");
            row.put("hiddenSize", r.hiddenSize());
            row.put("parameters", r.parameters());
            row.put("metric", metric);
            row.put("heldOut", interval(r.heldOut()));
            row.put("baseline", interval(r.baseline()));
            if (r.hasStrongBaseline()) row.put("strongBaseline", interval(r.strongBaseline()));
            List<Map<String, Object>> runs = new ArrayList<>();
            for (SeedRun s : r.runs()) {
                Map<String, Object> run = new LinkedHashMap<>();
                run.put("seed", s.seed());
                run.put("status", s.status());
                run.put("runDirectory", s.runDirectory());
                run.put("heldOut", s.heldOut());
                run.put("baseline", s.baseline());
                if (s.strongBaseline() != null) run.put("strongBaseline", s.strongBaseline());
                run.put("trainingSeconds", s.trainingSeconds());
                run.put("tokensPerSecond", s.tokensPerSecond());
                run.put("epochs", s.epochs());
                run.put("epochsToBest", s.epochsToBest());
                run.put("bestValidationLoss", s.bestValidationLoss());
                run.put("validationLoss", s.validationLoss());
                runs.add(run);
            }
            row.put("runs", runs);
            rows.add(row);
        }
        m.put("rows", rows);
        return m;
    }

    /** {@code n}, {@code mean}, {@code sd}, {@code low}, {@code high}; null where there is no value (one seed: no interval). */
    private static Map<String, Object> interval(SeedInterval i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", i.n());
        m.put("mean", finite(i.mean()));
        m.put("sd", finite(i.sd()));
        m.put("low", finite(i.low()));
        m.put("high", finite(i.high()));
        return m;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
