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

    /** The task's summarised metrics ({@link TaskKind#summarised}), each beside the baseline's. */
    static String headline(TaskKind task, RunMetrics metrics) {
        Map<String, Object> heldOut = metrics.heldOut();
        Map<String, Object> baseline = metrics.baseline();
        StringJoiner line = new StringJoiner("  ");
        for (Metric metric : task.summarised()) {
            if (!(heldOut.get(metric.key()) instanceof Number model)) continue;
            line.add(baseline.get(metric.key()) instanceof Number base
                    ? String.format(Locale.ROOT, "%s %.4f (baseline %.4f)", metric.key(), model.doubleValue(), base.doubleValue())
                    : String.format(Locale.ROOT, "%s %.4f", metric.key(), model.doubleValue()));
        }
        return line.toString();
    }
}
