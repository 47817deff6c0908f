package io.recur.train;

/**
 * One line of the training log.
 *
 * @param trainLoss      mean minibatch loss reported by the workers in the epoch's last averaging round, per
 *                       prediction like the validation loss ({@link TrainingProgress#lossPerPrediction})
 * @param validationLoss mean cross-entropy per prediction on the validation split
 */
public record EpochRecord(int epoch, double trainLoss, double validationLoss, double seconds,
                          double tokensPerSecond, boolean best) {}
