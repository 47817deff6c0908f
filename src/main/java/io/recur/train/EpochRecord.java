package io.recur.train;

/**
 * One line of the training log.
 *
 * @param trainLoss      training loss per prediction, like the validation loss, over every minibatch of
 *                       the epoch's last averaging round, averaged over its replicas ({@link RoundLoss})
 * @param validationLoss mean cross-entropy per prediction on the validation split
 */
public record EpochRecord(int epoch, double trainLoss, double validationLoss, double seconds,
                          double tokensPerSecond, boolean best) {}
