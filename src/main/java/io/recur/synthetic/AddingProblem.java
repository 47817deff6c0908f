package io.recur.synthetic;

import io.recur.corpus.Split;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;

/**
 * The adding problem (Hochreiter and Schmidhuber 1997; Le et al. 2015): T steps of two channels,
 * a value uniform in [0, 1) and a marker that is 1 at exactly two steps, one uniform in the first
 * half ({@code [0, T/2)}) and one in the second ({@code [T/2, T)}), 0 elsewhere. The target is the
 * sum of the two marked values, read at the last step: labels are {@code [batch, 1]}.
 */
public record AddingProblem(int steps) implements SyntheticTask {
    public static final int VALUE = 0;
    public static final int MARKER = 1;

    public AddingProblem {
        if (steps < 2) throw new IllegalArgumentException("steps must be >= 2 to hold one marker per half, was " + steps);
    }

    @Override
    public int inputSize() {
        return 2;
    }

    @Override
    public int outputSize() {
        return 1;
    }

    @Override
    public int sequenceLength() {
        return steps;
    }

    @Override
    public DataSet batch(long seed, Split split, long first, int examples) {
        INDArray features = Nd4j.zeros(DataType.FLOAT, examples, 2, steps);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, examples, 1);
        int half = steps / 2;
        for (int i = 0; i < examples; i++) {
            SplittableRandom random = SyntheticTask.exampleRandom(seed, split, first + i);
            float[] values = new float[steps];
            for (int t = 0; t < steps; t++) {
                values[t] = (float) random.nextDouble();
                features.putScalar(new long[]{i, VALUE, t}, values[t]);
            }
            int firstMarker = random.nextInt(half);
            int secondMarker = half + random.nextInt(steps - half);
            features.putScalar(new long[]{i, MARKER, firstMarker}, 1f);
            features.putScalar(new long[]{i, MARKER, secondMarker}, 1f);
            labels.putScalar(new long[]{i, 0}, values[firstMarker] + values[secondMarker]);
        }
        return new DataSet(features, labels, Nd4j.ones(DataType.FLOAT, examples, steps), null);
    }
}
