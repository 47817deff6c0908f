package io.recur.train;

import java.util.OptionalDouble;

/**
 * The time a training run has left, from rounds and epochs it has measured. The first round of an
 * epoch pays for starting the job (broadcasting parameters, filling caches, JIT), often many times a
 * later round, so it is never extrapolated: until a second round or a whole epoch has been timed
 * there is no estimate.
 */
final class TimeLeft {
    private final int epochs;
    private final int roundsPerEpoch;
    private int epoch;
    private int round;
    private long epochStartNanos;
    private long firstRoundEndNanos;
    private double lastEpochSeconds = Double.NaN;

    TimeLeft(int epochs, int roundsPerEpoch) {
        this.epochs = epochs;
        this.roundsPerEpoch = Math.max(1, roundsPerEpoch);
    }

    void epochStarted(int epoch, long nanos) {
        this.epoch = epoch;
        this.round = 0;
        this.epochStartNanos = nanos;
    }

    void roundEnded(long nanos) {
        round = Math.min(round + 1, roundsPerEpoch);
        if (round == 1) firstRoundEndNanos = nanos;
    }

    void epochEnded(double seconds) {
        lastEpochSeconds = seconds;
    }

    int round() {
        return round;
    }

    /** Seconds left at {@code nanos}, or empty while nothing that predicts the rest has been measured. */
    OptionalDouble seconds(long nanos) {
        double perRound = round >= 2 ? (nanos - firstRoundEndNanos) / 1e9 / (round - 1) : Double.NaN;
        double thisEpoch;
        if (round == roundsPerEpoch) thisEpoch = 0;
        else if (!Double.isNaN(perRound)) thisEpoch = perRound * (roundsPerEpoch - round);
        else if (!Double.isNaN(lastEpochSeconds)) thisEpoch = Math.max(0, lastEpochSeconds - (nanos - epochStartNanos) / 1e9);
        else return OptionalDouble.empty();
        int later = epochs - epoch;
        if (later == 0) return OptionalDouble.of(thisEpoch);
        double perEpoch = !Double.isNaN(lastEpochSeconds) ? lastEpochSeconds
                : !Double.isNaN(perRound) ? (firstRoundEndNanos - epochStartNanos) / 1e9 + perRound * (roundsPerEpoch - 1)
                : Double.NaN;
        return Double.isNaN(perEpoch) ? OptionalDouble.empty() : OptionalDouble.of(thisEpoch + later * perEpoch);
    }
}
