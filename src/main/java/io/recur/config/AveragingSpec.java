package io.recur.config;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * How the driver combines the replicas of one averaging round (issue 13): blockwise model-update
 * filtering (block momentum, Chen &amp; Huo 2016), learning-rate scaling with the number of
 * replicas, and whether Adam's moments are averaged with the parameters.
 *
 * @param blockMomentum         μ_b of the global update Δ = η_b·G + μ_b·Δ_prev, where G is the averaged
 *                              change of a round; empty = 1 - 1/k for k replicas (the paper's choice)
 * @param blockLearningRate     η_b; 1 with μ_b = 0 is plain parameter averaging
 * @param nesterov              whether the replicas start a round from the look-ahead w + μ_b·Δ (Nesterov
 *                              block momentum, the paper's recommended form) instead of w
 * @param learningRateScaling   the replicas' learning rate, model.learning-rate times this factor of k
 * @param maxLearningRateFactor the most that factor may reach; empty = no limit
 * @param warmupEpochs          epochs of training (examples over an epoch's examples, not rounds) over
 *                              which the scaled rate rises linearly from model.learning-rate
 * @param averageUpdaterState   whether the replicas' updater state (Adam's moments) is averaged and
 *                              sent back with the parameters; false = each round starts from fresh moments
 */
public record AveragingSpec(OptionalDouble blockMomentum, double blockLearningRate, boolean nesterov,
                            LearningRateScaling learningRateScaling, OptionalDouble maxLearningRateFactor,
                            double warmupEpochs, boolean averageUpdaterState) {
    /** DL4J's parameter averaging as it is: no filtering, no scaling, moments averaged. */
    public static final AveragingSpec PLAIN = new AveragingSpec(OptionalDouble.of(0), 1, false, LearningRateScaling.NONE,
            OptionalDouble.empty(), 0, true);

    public AveragingSpec {
        Objects.requireNonNull(blockMomentum, "blockMomentum");
        Objects.requireNonNull(learningRateScaling, "learningRateScaling");
        Objects.requireNonNull(maxLearningRateFactor, "maxLearningRateFactor");
        maxLearningRateFactor.ifPresent(max -> {
            if (!(max >= 1) || Double.isInfinite(max))
                throw new IllegalArgumentException("maxLearningRateFactor must be a finite number >= 1, was " + max);
        });
        if (blockMomentum.isPresent() && !(blockMomentum.getAsDouble() >= 0 && blockMomentum.getAsDouble() < 1)) {
            throw new IllegalArgumentException("blockMomentum must be in [0, 1), was " + blockMomentum.getAsDouble());
        }
        if (!(blockLearningRate > 0) || Double.isInfinite(blockLearningRate)) {
            throw new IllegalArgumentException("blockLearningRate must be a finite number > 0, was " + blockLearningRate);
        }
        if (!(warmupEpochs >= 0) || Double.isInfinite(warmupEpochs))
            throw new IllegalArgumentException("warmupEpochs must be a finite number >= 0, was " + warmupEpochs);
    }

    /** μ_b for {@code workers} replicas. */
    public double blockMomentum(int workers) {
        return blockMomentum.orElse(1 - 1.0 / workers);
    }

    /** Whether a round's average is used as it is (no block momentum step). */
    public boolean plainAverage(int workers) {
        return blockMomentum(workers) == 0 && blockLearningRate == 1;
    }

    /** The factor of model.learning-rate the replicas train at after the warm-up: 1 for one worker. */
    public double learningRateFactor(int workers) {
        return Math.min(learningRateScaling.factor(workers), maxLearningRateFactor.orElse(Double.POSITIVE_INFINITY));
    }

    /**
     * The replicas' learning rate in the averaging round that ends {@code epochsAtRoundEnd} epochs
     * into the run (epoch e's round r of n ends at e - 1 + r / n): {@code base} times the scaling
     * factor, reached linearly over the warm-up. Counted in epochs, not rounds, so k replicas warm
     * up over the same examples for any k, where a warm-up in rounds lasts k times as many examples.
     */
    public double learningRate(double base, int workers, double epochsAtRoundEnd) {
        double full = learningRateFactor(workers);
        double factor = epochsAtRoundEnd >= warmupEpochs ? full
                : 1 + (full - 1) * epochsAtRoundEnd / warmupEpochs;
        return base * factor;
    }

    static AveragingSpec from(SpecReader r) {
        return new AveragingSpec(
                r.decimalOrWord("train.block-momentum", "auto", x -> x >= 0 && x < 1, "a number in [0, 1)"),
                r.decimal("train.block-learning-rate", x -> x > 0, "a number > 0"),
                r.bool("train.block-momentum-nesterov"),
                r.oneOf("train.learning-rate-scaling", LearningRateScaling.class),
                r.decimalOrWord("train.max-learning-rate-factor", "none", x -> x >= 1 && !Double.isInfinite(x), "a number >= 1"),
                r.decimal("train.warmup-epochs", x -> x >= 0, "a number >= 0"),
                r.bool("train.average-updater-state"));
    }
}
