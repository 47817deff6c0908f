package io.recur.synthetic;

import io.recur.corpus.Split;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The multiplication problem (Hochreiter and Schmidhuber 1997, experiment 5): the inputs of the
 * {@link AddingProblem}, the same sequence for the same (seed, split, example), but the target is
 * the product of the two marked values, so a network must carry both values, not their running sum.
 */
public record MultiplicationProblem(AddingProblem inputs) implements SyntheticTask {
    /** The adding problem's layout: a value and a marker channel, one target, T steps. */
    @Override
    public int inputSize() {
        return inputs.inputSize();
    }

    @Override
    public int outputSize() {
        return inputs.outputSize();
    }

    @Override
    public int sequenceLength() {
        return inputs.sequenceLength();
    }

    @Override
    public DataSet batch(long seed, Split split, long first, int examples) {
        DataSet adding = inputs.batch(seed, split, first, examples);
        INDArray features = adding.getFeatures();
        INDArray labels = adding.getLabels();
        for (int i = 0; i < examples; i++) {
            double product = 1;
            for (int t = 0; t < inputs.steps(); t++)
                if (features.getFloat(i, AddingProblem.MARKER, t) == 1f) product *= features.getFloat(i, AddingProblem.VALUE, t);
            labels.putScalar(new long[]{i, 0}, (float) product);
        }
        return adding;
    }
}
