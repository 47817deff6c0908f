package io.recur.eval;

import java.io.Serializable;

/**
 * What one pass over held-out minibatches adds up, mergeable across partitions: the summed
 * negative log-likelihood (nats) over the predicted positions, how many there were, and for a
 * classifier the confusion matrix; for a regression the summed squared error instead of the
 * likelihood, and for copy memory how many recalled (non-blank) targets were predicted right.
 */
public final class EvalTally implements Serializable {
    /** The floor the network's scoring puts under a probability, so a zero costs a finite amount. */
    private static final double MIN_PROBABILITY = 1e-12;
    final long[][] confusion;
    double nllNats;
    long predictions;
    long examples;
    double squaredError;
    long recallCorrect;
    long recallPredictions;

    /** @param classes the classes of a classifier; 0 for any other task */
    public EvalTally(int classes) {
        this.confusion = new long[classes][classes];
    }

    /** One classified example: a predictor other than the network (a baseline) adds its predictions here. */
    public void addClassified(int actual, int predicted, double probabilityOfActual) {
        confusion[actual][predicted]++;
        nllNats -= Math.log(Math.max(MIN_PROBABILITY, probabilityOfActual));
        predictions++;
        examples++;
    }

    /** One predicted position of a sequence, for a predictor other than the network; see {@link #addExample}. */
    public void addPrediction(double probabilityOfTarget) {
        nllNats -= Math.log(Math.max(MIN_PROBABILITY, probabilityOfTarget));
        predictions++;
    }

    public void addExample() {
        examples++;
    }

    public EvalTally merge(EvalTally other) {
        for (int i = 0; i < confusion.length; i++)
            for (int j = 0; j < confusion.length; j++) confusion[i][j] += other.confusion[i][j];
        nllNats += other.nllNats;
        predictions += other.predictions;
        examples += other.examples;
        squaredError += other.squaredError;
        recallCorrect += other.recallCorrect;
        recallPredictions += other.recallPredictions;
        return this;
    }

    /** Mean negative log-likelihood per prediction: the validation loss that early stopping watches. */
    public double meanNll() {
        return predictions == 0 ? Double.NaN : nllNats / predictions;
    }

    /** Mean squared error per prediction of a regression. */
    public double meanSquaredError() {
        return predictions == 0 ? Double.NaN : squaredError / predictions;
    }

    /** Share of the copy-memory targets other than blank whose most probable symbol was right. */
    public double recallAccuracy() {
        return recallPredictions == 0 ? Double.NaN : (double) recallCorrect / recallPredictions;
    }

    /** Share of classified examples whose most probable class was right (classify). */
    public double accuracy() {
        long all = 0, right = 0;
        for (int i = 0; i < confusion.length; i++)
            for (int j = 0; j < confusion.length; j++) {
                all += confusion[i][j];
                if (i == j) right += confusion[i][j];
            }
        return all == 0 ? Double.NaN : (double) right / all;
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
