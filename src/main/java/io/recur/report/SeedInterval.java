package io.recur.report;

import org.apache.commons.math3.distribution.TDistribution;

import java.util.List;

/**
 * The mean of one metric over a bake-off member's seeds and its two-sided 95% Student-t interval,
 * {@code mean ± t(0.975, n - 1) · sd / √n} with the sample standard deviation {@code sd} (n - 1 in
 * the denominator). With one seed there is no interval: {@link #low()} and {@link #high()} are NaN.
 *
 * @param values the per-seed values the interval was computed from, in seed order
 */
public record SeedInterval(List<Double> values, double mean, double sd, double low, double high) {
    public SeedInterval {
        values = List.copyOf(values);
    }

    /** The interval of {@code values}; empty values give NaN throughout. */
    public static SeedInterval of(List<Double> values) {
        int n = values.size();
        if (n == 0) return new SeedInterval(values, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        double mean = values.stream().mapToDouble(Double::doubleValue).sum() / n;
        if (n == 1) return new SeedInterval(values, mean, Double.NaN, Double.NaN, Double.NaN);
        double squares = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
        double sd = Math.sqrt(squares / (n - 1));
        double half = tQuantile975(n - 1) * sd / Math.sqrt(n);
        return new SeedInterval(values, mean, sd, mean - half, mean + half);
    }

    public int n() {
        return values.size();
    }

    /** Whether there is an interval: two seeds or more. */
    public boolean hasInterval() {
        return n() >= 2;
    }

    /**
     * Whether this interval lies wholly on the better side of {@code other}: below it when lower is
     * better, above it otherwise. Touching or overlapping intervals are not apart. A single value
     * (one seed, or a baseline that is the same for every seed) counts as a point; this side
     * needs a real interval, so one seed never wins.
     */
    public boolean betterApartFrom(SeedInterval other, boolean lowerIsBetter) {
        if (!hasInterval() || other.n() == 0) return false;
        return lowerIsBetter ? high < other.lowOrPoint() : low > other.highOrPoint();
    }

    private double lowOrPoint() {
        return hasInterval() ? low : mean;
    }

    private double highOrPoint() {
        return hasInterval() ? high : mean;
    }

    /** Half the interval's width, NaN without one. */
    public double halfWidth() {
        return (high - low) / 2;
    }

    /** The 0.975 quantile of Student's t with {@code df} degrees of freedom. */
    static double tQuantile975(int df) {
        if (df < 1) throw new IllegalArgumentException("degrees of freedom must be >= 1, was " + df);
        return new TDistribution(df).inverseCumulativeProbability(0.975);
    }
}
