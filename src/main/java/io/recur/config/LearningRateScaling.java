package io.recur.config;

/**
 * How each replica's learning rate grows with the number of replicas averaged per round. Averaging
 * k replicas that each took the same steps moves the parameters about as far as one replica does,
 * so a larger rate per replica makes a round move as far as k replicas' worth of examples would
 * (Goyal et al. 2017 for linear, Krizhevsky 2014 for the square root).
 */
public enum LearningRateScaling {
    NONE, LINEAR, SQRT;

    /** The factor for {@code workers} replicas: 1 for one. */
    public double factor(int workers) {
        return switch (this) {
            case NONE -> 1;
            case LINEAR -> workers;
            case SQRT -> Math.sqrt(workers);
        };
    }
}
