package io.recur.config;

import com.typesafe.config.Config;

import java.util.List;
import java.util.Objects;

/**
 * How training runs on Spark.
 *
 * @param batchSize                   examples per minibatch on each worker
 * @param workers                     0 means Spark's default parallelism
 * @param averagingFrequencyBatches   minibatches each worker fits between two parameter averages
 * @param prefetchBatches             minibatches prepared ahead of the one being fitted (0 = off)
 * @param storageLevel                Spark storage level name of the training minibatch RDD, one of
 *                                    {@link #STORAGE_LEVELS}, as {@code StorageLevel.fromString} accepts it
 * @param patienceEpochs              epochs without a better validation score before stopping (0 = never)
 * @param lengthBucketing             whether minibatches group examples of similar length, to cut padding
 * @param targetValidationLoss        stop after the first epoch whose validation loss is at or below
 *                                    this (0 = no target)
 * @param averaging                   how the driver combines the replicas of a round
 */
public record TrainSpec(int epochs, int batchSize, int workers, int partitionsPerWorker,
                        int averagingFrequencyBatches, int prefetchBatches, TrainingApproach approach,
                        String storageLevel, int patienceEpochs, boolean lengthBucketing,
                        double targetValidationLoss, AveragingSpec averaging) {
    /**
     * The names {@code org.apache.spark.storage.StorageLevel.fromString} accepts (Spark 3.5), except
     * NONE: the training data must be kept. Listed here because this package must not depend on Spark.
     */
    public static final List<String> STORAGE_LEVELS = List.of(
            "DISK_ONLY", "DISK_ONLY_2", "DISK_ONLY_3",
            "MEMORY_ONLY", "MEMORY_ONLY_2", "MEMORY_ONLY_SER", "MEMORY_ONLY_SER_2",
            "MEMORY_AND_DISK", "MEMORY_AND_DISK_2", "MEMORY_AND_DISK_SER", "MEMORY_AND_DISK_SER_2",
            "OFF_HEAP");

    public TrainSpec {
        Objects.requireNonNull(approach, "approach");
        Objects.requireNonNull(averaging, "averaging");
        if (epochs < 1 || batchSize < 1 || workers < 0 || partitionsPerWorker < 1
                || averagingFrequencyBatches < 1 || prefetchBatches < 0 || patienceEpochs < 0) {
            throw new IllegalArgumentException("need epochs, batchSize, partitionsPerWorker,"
                    + " averagingFrequencyBatches >= 1 and workers, prefetchBatches, patienceEpochs >= 0, were "
                    + epochs + ", " + batchSize + ", " + partitionsPerWorker + ", " + averagingFrequencyBatches
                    + " and " + workers + ", " + prefetchBatches + ", " + patienceEpochs);
        }
        if (!STORAGE_LEVELS.contains(storageLevel)) {
            throw new IllegalArgumentException("storageLevel must be one of " + STORAGE_LEVELS + ", was " + storageLevel);
        }
        if (!(targetValidationLoss >= 0) || Double.isInfinite(targetValidationLoss)) {
            throw new IllegalArgumentException("targetValidationLoss must be a finite number >= 0 (0 = no target), was "
                    + targetValidationLoss);
        }
    }

    /** With plain parameter averaging ({@link AveragingSpec#PLAIN}). */
    public TrainSpec(int epochs, int batchSize, int workers, int partitionsPerWorker,
                     int averagingFrequencyBatches, int prefetchBatches, TrainingApproach approach,
                     String storageLevel, int patienceEpochs, boolean lengthBucketing, double targetValidationLoss) {
        this(epochs, batchSize, workers, partitionsPerWorker, averagingFrequencyBatches, prefetchBatches, approach,
                storageLevel, patienceEpochs, lengthBucketing, targetValidationLoss, AveragingSpec.PLAIN);
    }

    /** Without a validation-loss target, with plain parameter averaging. */
    public TrainSpec(int epochs, int batchSize, int workers, int partitionsPerWorker,
                     int averagingFrequencyBatches, int prefetchBatches, TrainingApproach approach,
                     String storageLevel, int patienceEpochs, boolean lengthBucketing) {
        this(epochs, batchSize, workers, partitionsPerWorker, averagingFrequencyBatches, prefetchBatches, approach,
                storageLevel, patienceEpochs, lengthBucketing, 0, AveragingSpec.PLAIN);
    }

    /** Reads {@code train.*} of a resolved job spec. */
    static TrainSpec from(Config root) {
        SpecReader r = new SpecReader(root);
        int many = Integer.MAX_VALUE;
        return new TrainSpec(
                r.wholeInt("train.epochs", 1, many),
                r.wholeInt("train.batch-size", 1, many),
                r.wholeInt("train.workers", 0, many),
                r.wholeInt("train.partitions-per-worker", 1, many),
                r.wholeInt("train.averaging-frequency", 1, many),
                r.wholeInt("train.prefetch", 0, many),
                r.oneOf("train.approach", TrainingApproach.class),
                r.oneOf("train.storage-level", STORAGE_LEVELS),
                r.wholeInt("train.patience", 0, many),
                r.bool("train.length-bucketing"),
                r.decimal("train.target-validation-loss", x -> x >= 0, "a number >= 0 (0 = no target)"),
                AveragingSpec.from(r));
    }

    /** The same with {@code averaging}. */
    public TrainSpec withAveraging(AveragingSpec a) {
        return new TrainSpec(epochs, batchSize, workers, partitionsPerWorker, averagingFrequencyBatches, prefetchBatches,
                approach, storageLevel, patienceEpochs, lengthBucketing, targetValidationLoss, a);
    }
}
