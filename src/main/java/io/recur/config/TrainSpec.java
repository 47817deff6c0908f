package io.recur.config;

/**
 * How training runs on Spark.
 *
 * @param workers                     0 means Spark's default parallelism
 * @param averagingFrequencyBatches   minibatches each worker fits between two parameter averages
 * @param patienceEpochs              epochs without a better validation score before stopping (0 = never)
 * @param storageLevel                Spark storage level name of the training minibatch RDD
 */
public record TrainSpec(int epochs, int batchSize, int workers, int partitionsPerWorker,
                        int averagingFrequencyBatches, int prefetchBatches, TrainingApproach approach,
                        String storageLevel, int patienceEpochs, boolean lengthBucketing) {}
