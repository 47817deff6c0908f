package io.recur.train;

/** The loss became NaN or infinite; nothing is published. */
public class TrainingDivergedException extends RuntimeException {
    public TrainingDivergedException(String message) {
        super(message);
    }
}
