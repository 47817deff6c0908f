package io.recur.synthetic;

import io.recur.corpus.Split;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

@DisplayName("MultiplicationProblem")
class MultiplicationProblemTest {
    private static final int STEPS = 30;
    private static final int EXAMPLES = 200;
    private final AddingProblem adding = new AddingProblem(STEPS);
    private final DataSet batch = new MultiplicationProblem(adding).batch(7, Split.TRAIN, 0, EXAMPLES);

    @Test
    void readsTheAddingProblemsInputs() {
        assertEquals(adding.batch(7, Split.TRAIN, 0, EXAMPLES).getFeatures(), batch.getFeatures());
    }

    @Test
    void targetsTheProductOfTheTwoMarkedValues() {
        for (int i = 0; i < EXAMPLES; i++) {
            double product = 1;
            int marked = 0;
            for (int t = 0; t < STEPS; t++) {
                if (batch.getFeatures().getDouble(i, AddingProblem.MARKER, t) != 0) {
                    product *= batch.getFeatures().getDouble(i, AddingProblem.VALUE, t);
                    marked++;
                }
            }
            assertEquals(2, marked, "markers of example " + i);
            assertEquals(product, batch.getLabels().getDouble(i, 0), 1e-6, "target of example " + i);
        }
    }

    @Test
    void averagesAQuarterOverManyExamples() {
        // Two independent uniform values in [0, 1): E[v1 v2] = 1/4, where the adding problem's sum averages 1.
        DataSet many = new MultiplicationProblem(adding).batch(11, Split.TEST, 0, 4000);
        assertEquals(0.25, many.getLabels().meanNumber().doubleValue(), 0.01);
    }
}
