package io.recur.train;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

@DisplayName("BlockMomentum")
class BlockMomentumTest {
    private static INDArray row(double... values) {
        return Nd4j.createFromArray(values).castTo(DataType.FLOAT).reshape(1, values.length);
    }

    private static void assertValues(INDArray actual, double... expected) {
        assertArrayEquals(expected, actual.toDoubleVector(), 1e-6);
    }

    @Test
    void keepsTheFirstRoundsAverageAtBlockLearningRateOne() {
        BlockMomentum filter = new BlockMomentum(0.5, 1.0, false);
        INDArray averaged = row(2, 3);
        filter.apply(row(1, 1), row(1, 1), averaged);
        assertValues(averaged, 2, 3);
    }

    @Test
    void scalesTheAveragedChangeByTheBlockLearningRate() {
        BlockMomentum filter = new BlockMomentum(0.0, 2.0, false);
        INDArray averaged = row(2, 0);
        filter.apply(row(1, 1), row(1, 1), averaged);
        assertValues(averaged, 3, -1);            // 1 + 2·(2-1), 1 + 2·(0-1)
    }

    @Test
    void addsTheMomentumOfThePreviousGlobalUpdate() {
        BlockMomentum filter = new BlockMomentum(0.75, 1.0, false);
        INDArray first = row(2, 3);
        filter.apply(row(1, 1), row(1, 1), first);           // Δ1 = (1, 2)
        INDArray second = row(3, 3);
        filter.apply(row(2, 3), row(2, 3), second);          // G2 = (1, 0); Δ2 = G2 + 0.75·Δ1 = (1.75, 1.5)
        assertValues(second, 3.75, 4.5);
    }

    @Test
    void carriesTheMomentumAcrossRoundsAsADecayingSum() {
        BlockMomentum filter = new BlockMomentum(0.5, 1.0, false);
        INDArray w = row(0);
        for (int round = 0; round < 3; round++) {
            INDArray start = w.dup();
            INDArray averaged = start.add(1);     // every round's average moves by 1
            filter.apply(start, start, averaged);
            w = averaged;
        }
        assertValues(w, 1 + 1.5 + 1.75);          // Δ = 1, 1.5, 1.75: approaching 1 / (1 - μ) = 2
    }

    @Test
    void startsTheFirstNesterovRoundFromTheModelItself() {
        BlockMomentum filter = new BlockMomentum(0.5, 1.0, true);
        assertValues(filter.roundStart(row(1, 2)), 1, 2);
    }

    @Test
    void startsLaterNesterovRoundsFromTheLookAheadOfThePreviousUpdate() {
        BlockMomentum filter = new BlockMomentum(0.5, 1.0, true);
        filter.apply(row(1, 1), row(1, 1), row(3, 1));    // Δ1 = (2, 0)
        assertValues(filter.roundStart(row(3, 1)), 4, 1);  // w + μ·Δ1
    }

    @Test
    void startsClassicalRoundsFromTheModelWhateverTheMomentum() {
        BlockMomentum filter = new BlockMomentum(0.5, 1.0, false);
        filter.apply(row(1, 1), row(1, 1), row(3, 1));
        assertValues(filter.roundStart(row(3, 1)), 3, 1);
    }

    @Test
    void takesTheNesterovRoundsChangeFromItsLookAheadStartAndAddsTheUpdateToTheModel() {
        BlockMomentum filter = new BlockMomentum(0.5, 0.5, true);
        INDArray w = row(1, 1);
        INDArray first = row(3, 1);
        filter.apply(w, filter.roundStart(w), first);     // Δ1 = 0.5·(2, 0) = (1, 0); w = (2, 1)
        assertValues(first, 2, 1);
        INDArray start = filter.roundStart(first);        // (2.5, 1)
        INDArray second = row(3.5, 3);                     // G2 = (1, 2)
        filter.apply(first, start, second);               // Δ2 = 0.5·G2 + 0.5·Δ1 = (1, 1)
        assertValues(second, 3, 2);                        // the model (2, 1) + Δ2, not the look-ahead + Δ2
    }
}
