package io.recur.config;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * How the driver combines the replicas of one averaging round (issue 13): blockwise model-update
 * filtering (block momentum, Chen &amp; Huo 2016), learning-rate scaling with the number of
 * replicas, and whether Adam's moments are averaged with the parameters.
 *
 * @param blockMomentum       μ_b of the global update Δ = η_b·G + μ_b·Δ_prev, where G is the averaged
 *                            change of a round; empty = 1 - 1/k for k replicas (the paper's choice)
 * @param blockLearningRate   η_b; 1 with μ_b = 0 is plain parameter averaging
 * @param learningRateScaling the replicas' learning rate, model.learning-rate times this factor of k
 * @param warmupRounds        rounds over which the scaled rate rises linearly from model.learning-rate
 * @param averageUpdaterState whether the replicas' updater state (Adam's moments) is averaged and
 *                            sent back with the parameters; false = each round starts from fresh moments
 */
public record AveragingSpec(OptionalDouble blockMomentum, double blockLearningRate,
                            LearningRateScaling learningRateScaling, int warmupRounds, boolean averageUpdaterState) {
    /** DL4J's parameter averaging as it is: no filtering, no scaling, moments averaged. */
    public static final AveragingSpec PLAIN = new AveragingSpec(OptionalDouble.of(0), 1, LearningRateScaling.NONE, 0, true);

    public AveragingSpec {
        Objects.requireNonNull(blockMomentum, "blockMomentum");
        Objects.requireNonNull(learningRateScaling, "learningRateScaling");
        if (blockMomentum.isPresent() && !(blockMomentum.getAsDouble() >= 0 && blockMomentum.getAsDouble() < 1)) {
            throw new IllegalArgumentException("blockMomentum must be in [0, 1), was " + blockMomentum.getAsDouble());
        }
        if (!(blockLearningRate > 0) || Double.isInfinite(blockLearningRate)) {
            throw new IllegalArgumentException("blockLearningRate must be a finite number > 0, was " + blockLearningRate);
        }
        if (warmupRounds < 0) throw new IllegalArgumentException("warmupRounds must be >= 0, was " + warmupRounds);
    }

    /** μ_b for {@code workers} replicas. */
    public double blockMomentum(int workers) {
        return blockMomentum.orElse(1 - 1.0 / workers);
    }

    /** Whether a round's average is used as it is (no block momentum step). */
    public boolean plainAverage(int workers) {
        return blockMomentum(workers) == 0 && blockLearningRate == 1;
    }

    /**
     * The replicas' learning rate in averaging round {@code round} (0-based, counted over the whole
     * run): {@code base} times the scaling factor, reached linearly over the warm-up rounds.
     */
    public double learningRate(double base, int workers, long round) {
        double full = learningRateScaling.factor(workers);
        double factor = warmupRounds == 0 || round >= warmupRounds ? full
                : 1 + (full - 1) * (round + 1) / (double) warmupRounds;
        return base * factor;
    }

    static AveragingSpec from(SpecReader r) {
        return new AveragingSpec(
                r.decimalOrWord("train.block-momentum", "auto", x -> x >= 0 && x < 1, "a number in [0, 1)"),
                r.decimal("train.block-learning-rate", x -> x > 0, "a number > 0"),
                r.oneOf("train.learning-rate-scaling", LearningRateScaling.class),
                r.wholeInt("train.warmup-rounds", 0, Integer.MAX_VALUE),
                r.bool("train.average-updater-state"));
    }
}
