package io.recur.cli;

import io.recur.eval.Metric;
import io.recur.task.TaskKind;
import io.recur.run.RunMetrics;

import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/** One-line renderings of metrics for the terminal. */
final class Summaries {
    private Summaries() {}

    /**
     * The task's summarised metrics ({@link TaskKind#summarised}), each beside the baseline's and,
     * when the run has one, the strong baseline's.
     */
    static String headline(TaskKind task, RunMetrics metrics) {
        Map<String, Object> heldOut = metrics.heldOut();
        Map<String, Object> baseline = metrics.baseline();
        Map<String, Object> strong = metrics.strongBaseline() == null ? Map.of() : metrics.strongBaseline();
        StringJoiner line = new StringJoiner("  ");
        for (Metric metric : task.summarised()) {
            if (!(heldOut.get(metric.key()) instanceof Number model)) continue;
            StringJoiner beside = new StringJoiner(", ", " (", ")").setEmptyValue("");
            if (baseline.get(metric.key()) instanceof Number base)
                beside.add(String.format(Locale.ROOT, "baseline %.4f", base.doubleValue()));
            if (strong.get(metric.key()) instanceof Number s)
                beside.add(String.format(Locale.ROOT, "strong %.4f", s.doubleValue()));
            line.add(String.format(Locale.ROOT, "%s %.4f", metric.key(), model.doubleValue()) + beside);
        }
        return line.toString();
    }
}
