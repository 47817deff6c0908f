package io.recur.report;

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

    /**
     * The 0.975 quantile of Student's t with {@code df} degrees of freedom: the t for which the
     * distribution function reaches 0.975, found by bisection on its exact form through the
     * regularised incomplete beta function, {@code P(T > t) = I_{df/(df+t²)}(df/2, 1/2) / 2}.
     */
    static double tQuantile975(int df) {
        if (df < 1) throw new IllegalArgumentException("degrees of freedom must be >= 1, was " + df);
        double low = 0;
        double high = 1000; // t(0.975, 1) = 12.71; the upper tail at 1000 is far below 0.025 for every df
        for (int i = 0; i < 200 && high - low > 1e-12; i++) {
            double t = (low + high) / 2;
            double upperTail = regularizedBeta(df / (df + t * t), df / 2.0, 0.5) / 2;
            if (upperTail > 0.025) low = t;
            else high = t;
        }
        return (low + high) / 2;
    }

    /** I_x(a, b), by the continued fraction of Numerical Recipes (2nd ed., §6.4). */
    private static double regularizedBeta(double x, double a, double b) {
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        double front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
        // The fraction converges fast only below (a + 1) / (a + b + 2); above it, use I_x(a, b) = 1 - I_{1-x}(b, a).
        if (x < (a + 1) / (a + b + 2)) return front * betaFraction(x, a, b) / a;
        return 1 - front * betaFraction(1 - x, b, a) / b;
    }

    private static double betaFraction(double x, double a, double b) {
        double tiny = 1e-300;
        double c = 1;
        double d = 1 - (a + b) * x / (a + 1);
        if (Math.abs(d) < tiny) d = tiny;
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= 300; m++) {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 + aa * d;
            if (Math.abs(d) < tiny) d = tiny;
            c = 1 + aa / c;
            if (Math.abs(c) < tiny) c = tiny;
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 + aa * d;
            if (Math.abs(d) < tiny) d = tiny;
            c = 1 + aa / c;
            if (Math.abs(c) < tiny) c = tiny;
            d = 1 / d;
            double step = d * c;
            h *= step;
            if (Math.abs(step - 1) < 1e-15) break;
        }
        return h;
    }

    /** ln Γ(x) for x > 0, Lanczos approximation (g = 7, 9 terms), accurate to about 1e-15. */
    private static double logGamma(double x) {
        double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
                -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
                1.5056327351493116e-7};
        if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        x -= 1;
        double sum = c[0];
        for (int i = 1; i < c.length; i++) sum += c[i] / (x + i);
        double t = x + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(sum);
    }
}
