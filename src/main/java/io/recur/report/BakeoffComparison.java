package io.recur.report;

import io.recur.config.Task;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a bake-off measured: one member per cell and swept value, all on the same data. It is
 * written as {@code comparison.json} ({@link #toJson}) and drawn by {@link BakeoffReport}.
 *
 * @param metric            the task's headline held-out metric ({@code mse}, {@code accuracy}, ...)
 * @param sweepKey          the swept job key, or null when only cells are compared
 * @param sweepValues       its values in the order given; a single empty string without a sweep
 * @param referenceHiddenSize the job's hidden size, which the reference cell (lstm) gets
 * @param seconds           wall-clock seconds of the whole bake-off, data preparation included
 * @param resolvedSpec      the job spec of the first member with the reference cell, for the report
 */
public record BakeoffComparison(String job, String bakeoffId, Task task, String metric, boolean lowerIsBetter,
                                String sweepKey, List<String> sweepValues, List<String> cells,
                                int referenceHiddenSize, double seconds, List<Member> members, String resolvedSpec) {
    public BakeoffComparison {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(task, "task");
        sweepValues = List.copyOf(sweepValues);
        cells = List.copyOf(cells);
        members = List.copyOf(members);
    }

    /**
     * One trained member.
     *
     * @param runDirectory   the member's run directory, relative to the bake-off directory
     * @param status         {@code ok}, or {@code diverged} (no run directory; metrics null)
     * @param heldOut        the headline metric on the test split; null if the member diverged
     * @param baseline       the task baseline's value of the same metric
     * @param epochsToBest   the epoch whose parameters were kept (1-based)
     * @param validationLoss validation loss per epoch, in order
     */
    public record Member(String cell, String sweepValue, String runDirectory, int hiddenSize, long parameters,
                         String status, Double heldOut, Double baseline, double trainingSeconds,
                         double tokensPerSecond, int epochs, int epochsToBest, double bestValidationLoss,
                         List<Double> validationLoss) {
        public Member {
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

    /** The {@code comparison.json} document: the setup, then one row per member. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job", job);
        m.put("bakeoffId", bakeoffId);
        m.put("task", task.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        m.put("metric", metric);
        m.put("lowerIsBetter", lowerIsBetter);
        m.put("sweepKey", sweepKey);
        m.put("sweepValues", sweepKey == null ? List.of() : sweepValues);
        m.put("cells", cells);
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
            row.put("status", r.status());
            row.put("runDirectory", r.runDirectory());
            row.put("hiddenSize", r.hiddenSize());
            row.put("parameters", r.parameters());
            row.put("metric", metric);
            row.put("heldOut", r.heldOut());
            row.put("baseline", r.baseline());
            row.put("trainingSeconds", r.trainingSeconds());
            row.put("tokensPerSecond", r.tokensPerSecond());
            row.put("epochs", r.epochs());
            row.put("epochsToBest", r.epochsToBest());
            row.put("bestValidationLoss", r.bestValidationLoss());
            row.put("validationLoss", r.validationLoss());
            rows.add(row);
        }
        m.put("rows", rows);
        return m;
    }
}
