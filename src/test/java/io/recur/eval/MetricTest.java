package io.recur.eval;

import io.recur.config.Task;
import io.recur.registry.MetricComparison;
import io.recur.task.CorpusTask;
import io.recur.task.TaskKind;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One metric vocabulary: what each task reports and is judged by, the same for reports, bake-offs and the registry. */
@DisplayName("Metric")
class MetricTest {
    @ParameterizedTest
    @EnumSource(Task.class)
    void everyTaskReportsItsHeadlineFirst(Task task) {
        assertEquals(TaskKind.of(task).headline(), TaskKind.of(task).reported().get(0));
    }

    @ParameterizedTest
    @EnumSource(value = Task.class, names = {"CLASSIFY", "LM", "TAG"})
    void theRegistryPromotesByTheHeadline(Task task) {
        Metric headline = TaskKind.of(task).headline();
        MetricComparison c = MetricComparison.of(CorpusTask.of(task), Map.of(headline.key(), 1.0), Map.of(headline.key(), 2.0), 0.0);
        assertEquals(headline.key(), c.metric());
        assertEquals(!headline.lowerIsBetter(), c.higherIsBetter());
        assertEquals(headline.lowerIsBetter(), c.promotes());
    }

    @Test
    void lossesAndErrorsAreBetterLower() {
        assertTrue(Metric.BITS_PER_TOKEN.better(2.2, 2.4));
        assertTrue(Metric.MSE.better(0.01, 0.1));
        assertFalse(Metric.ACCURACY.better(0.8, 0.9));
    }

    @Test
    void theSummaryLeavesOutTheCrossEntropyUnlessItIsTheHeadline() {
        assertFalse(TaskKind.of(Task.CLASSIFY).summarised().contains(Metric.CROSS_ENTROPY));
        assertTrue(TaskKind.of(Task.SEQUENCE_COPY).summarised().contains(Metric.CROSS_ENTROPY));
    }

    @Test
    void namesReadBackToTheirMetric() {
        for (Metric m : Metric.values()) assertEquals(m, Metric.of(m.key()));
    }
}
