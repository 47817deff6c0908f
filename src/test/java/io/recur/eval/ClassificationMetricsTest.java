package io.recur.eval;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@DisplayName("ClassificationMetrics")
class ClassificationMetricsTest {
    // 10 ham (8 right), 5 spam (3 right), no eggs at all.
    private final ClassificationMetrics m = new ClassificationMetrics(List.of("eggs", "ham", "spam"),
            new long[][]{{0, 0, 0}, {0, 8, 2}, {0, 2, 3}});

    @Test
    void accuracyIsTheDiagonalShare() {
        assertEquals(11.0 / 15, m.accuracy(), 1e-12);
    }

    @Test
    void f1IsTheHarmonicMeanOfPrecisionAndRecall() {
        assertEquals(0.8, m.precision(1), 1e-12);
        assertEquals(0.8, m.recall(1), 1e-12);
        assertEquals(0.6, m.f1(2), 1e-12);
    }

    @Test
    void macroF1LeavesOutAClassThatNeverOccursNorIsPredicted() {
        assertEquals((0.8 + 0.6) / 2, m.macroF1(), 1e-12);
    }

    @Test
    void aClassThatOccursButIsNeverPredictedCountsWithZeroF1() {
        var constant = new ClassificationMetrics(List.of("ham", "spam"), new long[][]{{10, 0}, {5, 0}});
        assertEquals((2 * (10.0 / 15) / (10.0 / 15 + 1) + 0) / 2, constant.macroF1(), 1e-12);
    }
}
