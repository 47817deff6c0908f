package io.recur.job;

import io.recur.job.StatisticalBench.Point;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

@DisplayName("StatisticalBench examples to the target")
class StatisticalBenchTest {
    private static final List<Point> CURVE = List.of(
            new Point(0, 0, 0, 3.0, null), new Point(1, 4, 1000, 2.0, null),
            new Point(1, 8, 2000, 1.5, 3.1), new Point(1, 12, 3000, 1.4, 3.0));

    @Test
    void interpolatesBetweenTheValidationsAroundTheCrossing() {
        assertEquals(1200.0, StatisticalBench.examplesToTarget(CURVE, 1.9), 1e-9);   // a fifth of the way from 2.0 to 1.5
    }

    @Test
    void takesTheFirstValidationThatReachesTheTarget() {
        assertEquals(1000.0, StatisticalBench.examplesToTarget(CURVE, 2.0), 1e-9);
    }

    @Test
    void isNullWhenTheCurveNeverReachesTheTarget() {
        assertNull(StatisticalBench.examplesToTarget(CURVE, 1.0));
    }
}
