package io.recur.registry;

import io.recur.config.Task;

import java.util.Locale;
import java.util.Map;

/**
 * Challenger against champion on one held-out metric, measured on the same split of the current
 * corpus, and the promotion rule: promote unless the challenger is worse by more than the tolerance.
 * The metric per task: {@code accuracy} (classify), {@code tokenAccuracy} (tag), both higher is
 * better, and {@code bitsPerToken} (lm), lower is better.
 *
 * @param champion NaN when there is no champion (the first version is promoted if it is finite)
 */
public record MetricComparison(String metric, boolean higherIsBetter, double challenger, double champion,
                               double tolerance) {

    public static MetricComparison of(Task task, Map<String, Object> challengerHeldOut,
                                      Map<String, Object> championHeldOut, double tolerance) {
        String metric = metricOf(task);
        return new MetricComparison(metric, !metric.equals("bitsPerToken"), value(challengerHeldOut, metric),
                championHeldOut == null ? Double.NaN : value(championHeldOut, metric), tolerance);
    }

    /** The metric that decides promotion for {@code task}. */
    public static String metricOf(Task task) {
        return switch (task) {
            case CLASSIFY -> "accuracy";
            case TAG -> "tokenAccuracy";
            case LM -> "bitsPerToken";
            case SEQUENCE_REGRESSION, SEQUENCE_COPY -> throw new IllegalArgumentException(task + " reads no corpus");
        };
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
