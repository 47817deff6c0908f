package io.recur.train;

import java.util.List;

/** What came out of training: the log, which epoch the kept parameters are from, and totals. */
public record TrainingReport(List<EpochRecord> epochs, int bestEpoch, double bestValidationLoss,
                             double seconds, double tokensPerSecond, int workers, boolean stoppedEarly) {
    public TrainingReport {
        epochs = List.copyOf(epochs);
    }
}
