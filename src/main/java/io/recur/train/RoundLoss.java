package io.recur.train;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Makes the score a replica reports for its round the training loss per prediction over all the
 * minibatches it fitted in that round, on the validation loss's scale. DL4J's worker reports the
 * score of its last minibatch only, summed over the time steps and divided by the examples: with
 * minibatches of similar lengths bucketed together, one round ending on short lines reported a
 * language model's loss as 0.43 nats per character where its validation loss was 1.99.
 *
 * <p>Each minibatch's score is taken as DL4J computed it in the forward pass of its update. Spark
 * deserializes a copy of the hook for every task, so the sums are per replica and per round.
 */
final class RoundLoss implements TrainingHook {
    private double lossSum;
    private long predictions;

    @Override
    public void preUpdate(DataSet minibatch, Model model) {
    }

    @Override
    public void preUpdate(MultiDataSet minibatch, Model model) {
    }

    @Override
    public void postUpdate(DataSet minibatch, Model model) {
        if (!(model instanceof MultiLayerNetwork net)) return;
        long targets = predictions(minibatch);
        if (targets == 0) return;
        lossSum += net.score() * minibatch.numExamples();
        predictions += targets;
        net.setScore(lossSum / predictions);
    }

    @Override
    public void postUpdate(MultiDataSet minibatch, Model model) {
    }

    /**
     * The targets DL4J sums a minibatch's loss over: unmasked label steps, or one per example for a
     * single label vector.
     */
    private static long predictions(DataSet minibatch) {
        INDArray labelsMask = minibatch.getLabelsMaskArray();
        if (labelsMask != null) return labelsMask.sumNumber().longValue();
        INDArray labels = minibatch.getLabels();
        return labels.rank() == 2 ? minibatch.numExamples() : minibatch.numExamples() * labels.size(2);
    }
}
