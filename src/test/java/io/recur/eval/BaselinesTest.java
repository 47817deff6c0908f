package io.recur.eval;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@DisplayName("Baselines.majorityClass")
class BaselinesTest {
    @Test
    void predictsTheMostFrequentTrainingClassForEveryHeldOutExample() {
        EvalTally model = new EvalTally(2);
        model.confusion[0][0] = 30;
        model.confusion[0][1] = 2;
        model.confusion[1][1] = 8;
        EvalTally baseline = Baselines.majorityClass(new long[]{866, 134}, model);
        var metrics = new ClassificationMetrics(List.of("ham", "spam"), baseline.confusion());
        assertEquals(32.0 / 40, metrics.accuracy(), 1e-12);
        assertEquals(40, baseline.predictions());
    }

    @Test
    void scoresHeldOutExamplesWithTheTrainingClassFrequencies() {
        EvalTally model = new EvalTally(2);
        model.confusion[1][0] = 4;
        EvalTally baseline = Baselines.majorityClass(new long[]{2, 0}, model);
        assertEquals(-Math.log(1.0 / 4), baseline.meanNll(), 1e-12);
    }
}
