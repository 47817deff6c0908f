package io.recur.synthetic;

import io.recur.corpus.Split;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;

/**
 * Copy memory as defined by Arjovsky et al. (2016): {@link #SYMBOLS_TO_COPY} symbols uniform over
 * 1–8, then T − 1 blanks (0), the delimiter (9), and {@code SYMBOLS_TO_COPY} more blanks: T + 20
 * steps in all. The target is blank at every step except the last {@code SYMBOLS_TO_COPY}, the
 * blanks after the delimiter, which hold the symbols in order. Inputs are one-hot over the 10 symbols; labels are sparse
 * ids {@code [batch, 1, T + 20]} with a labels mask of ones, since every step is scored.
 */
public record CopyMemory(int steps) implements SyntheticTask {
    public static final int SYMBOLS_TO_COPY = 10;
    public static final int BLANK = 0;
    public static final int DELIMITER = 9;
    /** Symbols 1..8 are copied. */
    public static final int ALPHABET = 8;
    public static final int SYMBOLS = 10;

    public CopyMemory {
        if (steps < 1) throw new IllegalArgumentException("steps must be >= 1, was " + steps);
    }

    @Override
    public int inputSize() {
        return SYMBOLS;
    }

    @Override
    public int outputSize() {
        return SYMBOLS;
    }

    @Override
    public int sequenceLength() {
        return steps + 2 * SYMBOLS_TO_COPY;
    }

    /** The first step whose target is a copied symbol. */
    public int firstRecallStep() {
        return sequenceLength() - SYMBOLS_TO_COPY;
    }

    @Override
    public DataSet batch(long seed, Split split, long first, int examples) {
        int length = sequenceLength();
        INDArray features = Nd4j.zeros(DataType.FLOAT, examples, SYMBOLS, length);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, examples, 1, length);
        int delimiterStep = firstRecallStep() - 1;
        for (int i = 0; i < examples; i++) {
            SplittableRandom random = SyntheticTask.exampleRandom(seed, split, first + i);
            for (int t = 0; t < length; t++) {
                int input = t == delimiterStep ? DELIMITER : BLANK;
                if (t < SYMBOLS_TO_COPY) {
                    input = 1 + random.nextInt(ALPHABET);
                    labels.putScalar(new long[]{i, 0, firstRecallStep() + t}, input);
                }
                features.putScalar(new long[]{i, input, t}, 1f);
            }
        }
        return new DataSet(features, labels, Nd4j.ones(DataType.FLOAT, examples, length),
                Nd4j.ones(DataType.FLOAT, examples, length));
    }
}
