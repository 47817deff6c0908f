package io.recur.eval;

import java.io.Serializable;

/**
 * What one pass over held-out minibatches adds up, mergeable across partitions: the summed
 * negative log-likelihood (nats) over the predicted positions, how many there were, and for a
 * classifier the confusion matrix.
 */
public final class EvalTally implements Serializable {
    final long[][] confusion;
    double nllNats;
    long predictions;
    long examples;

    EvalTally(int classes) {
        this.confusion = new long[classes][classes];
    }

    EvalTally merge(EvalTally other) {
        for (int i = 0; i < confusion.length; i++)
            for (int j = 0; j < confusion.length; j++) confusion[i][j] += other.confusion[i][j];
        nllNats += other.nllNats;
        predictions += other.predictions;
        examples += other.examples;
        return this;
    }

    /** Mean negative log-likelihood per prediction: the validation loss that early stopping watches. */
    public double meanNll() {
        return predictions == 0 ? Double.NaN : nllNats / predictions;
    }

    public long predictions() {
        return predictions;
    }

    public long examples() {
        return examples;
    }

    public double nllNats() {
        return nllNats;
    }

    long[][] confusion() {
        return confusion;
    }
}
