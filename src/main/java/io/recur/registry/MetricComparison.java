package io.recur.registry;

import io.recur.eval.Metric;
import io.recur.task.CorpusTask;

import java.util.Locale;
import java.util.Map;

/**
 * Challenger against champion on the task's headline metric ({@link CorpusTask#headline}), measured on
 * the same split of the current corpus, and the promotion rule: promote unless the challenger is
 * worse by more than the tolerance.
 *
 * @param champion NaN when there is no champion (the first version is promoted if it is finite)
 */
public record MetricComparison(String metric, boolean higherIsBetter, double challenger, double champion,
                               double tolerance) {

    public static MetricComparison of(CorpusTask task, Map<String, Object> challengerHeldOut,
                                      Map<String, Object> championHeldOut, double tolerance) {
        Metric metric = task.headline();
        return new MetricComparison(metric.key(), !metric.lowerIsBetter(), value(challengerHeldOut, metric.key()),
                championHeldOut == null ? Double.NaN : value(championHeldOut, metric.key()), tolerance);
    }

    public boolean promotes() {
        if (!Double.isFinite(challenger)) return false;
        if (!Double.isFinite(champion)) return true;
        return higherIsBetter ? challenger >= champion - tolerance : challenger <= champion + tolerance;
    }

    /** One sentence for the lineage and the summary line. */
    public String reason() {
        if (!Double.isFinite(challenger)) return String.format(Locale.ROOT, "challenger %s is %s", metric, challenger);
        if (!Double.isFinite(champion)) return String.format(Locale.ROOT, "first version (%s %.4f)", metric, challenger);
        String better = higherIsBetter ? "higher" : "lower";
        return promotes()
                ? String.format(Locale.ROOT, "challenger %s %.4f vs champion %.4f: not worse by more than %s (%s is better)",
                        metric, challenger, champion, tolerance, better)
                : String.format(Locale.ROOT, "challenger %s %.4f vs champion %.4f: worse by more than %s (%s is better)",
                        metric, challenger, champion, tolerance, better);
    }

    private static double value(Map<String, Object> heldOut, String metric) {
        Object v = heldOut.get(metric);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
