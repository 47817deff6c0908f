package io.recur.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One line of the benchmark table: what was measured and how, the median of the timed
 * repetitions, and the ratio it is judged by with its target (both null when the row is a
 * reference figure only, such as the GEMM peak).
 *
 * @param id            stable key, e.g. {@code cell-lstm-h512-b128}; dev/bench selects rows by its prefix
 * @param samples       every timed repetition after warm-up, in the unit of {@code median}
 * @param ratioName     what the ratio divides, e.g. {@code local[2] / single JVM}
 * @param met           whether the ratio meets the target; null without a target
 */
public record Row(String id, String measured, String configuration, double median, String unit,
                  List<Double> samples, String ratioName, Double ratio, String target, Boolean met) {

    /** A reference row, not judged. */
    public static Row reference(String id, String measured, String configuration, List<Double> samples, String unit) {
        return new Row(id, measured, configuration, median(samples), unit, List.copyOf(samples), null, null, null, null);
    }

    /** This row judged by a ratio; {@code target} may be null for a ratio that is reported only. */
    public Row judged(String name, double value, Target target) {
        return new Row(id, measured, configuration, median, unit, samples, name, value,
                target == null ? null : target.text(), target == null ? null : target.metBy(value));
    }

    /** This judged row, met only when {@code holds} too; the target names the condition. */
    public Row alsoRequiring(String condition, boolean holds) {
        if (met == null) throw new IllegalStateException("row " + id + " has no target to add '" + condition + "' to");
        return new Row(id, measured, configuration, median, unit, samples, ratioName, ratio,
                target + " and " + condition, met && holds);
    }

    public static double median(List<Double> values) {
        if (values.isEmpty()) throw new IllegalArgumentException("no samples to take the median of");
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Three significant digits, no exponent for the magnitudes the table shows. */
    public static String number(double v) {
        if (!Double.isFinite(v)) return String.valueOf(v);
        double a = Math.abs(v);
        String s = a >= 100 ? String.format(Locale.ROOT, "%.0f", v)
                : a >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : a >= 1 ? String.format(Locale.ROOT, "%.2f", v)
                : String.format(Locale.ROOT, "%.3f", v);
        return s;
    }
}
