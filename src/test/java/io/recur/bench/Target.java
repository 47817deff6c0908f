package io.recur.bench;

/**
 * A bound a benchmark ratio is judged against, from issue 7.
 *
 * @param atLeast true when the ratio must reach the bound, false when it must stay at or below it
 */
public record Target(boolean atLeast, double bound) {

    public static Target atLeast(double bound) {
        return new Target(true, bound);
    }

    public static Target atMost(double bound) {
        return new Target(false, bound);
    }

    public boolean metBy(double ratio) {
        return atLeast ? ratio >= bound : ratio <= bound;
    }

    public String text() {
        return (atLeast ? ">= " : "<= ") + Row.number(bound);
    }
}
