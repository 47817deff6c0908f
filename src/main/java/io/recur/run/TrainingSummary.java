package io.recur.run;

/**
 * {@code training} in {@code metrics.json}: how the fitting went, over every epoch of the run
 * (resumed ones included).
 *
 * @param epochs                  epochs trained
 * @param bestEpoch               the epoch whose parameters the run keeps; 0: a warm start's parameters were never beaten
 * @param bestValidationLoss      validation loss of the kept parameters
 * @param stoppedEarly            whether {@code train.patience} ended training before {@code train.epochs}
 * @param seconds                 wall time of fitting
 * @param tokensPerSecond         real tokens per second of fitting
 * @param workers                 Spark workers that trained
 * @param parameters              the network's parameter count
 * @param examples                training examples
 * @param minibatches             training minibatches per epoch
 * @param paddingFraction         share of the training minibatches' time steps that are padding
 * @param unknownValidationLabels validation examples whose label the training split never had
 */
public record TrainingSummary(int epochs, int bestEpoch, double bestValidationLoss, boolean stoppedEarly, double seconds,
                              double tokensPerSecond, int workers, long parameters, long examples, long minibatches,
                              double paddingFraction, long unknownValidationLabels) {}
