package io.recur.cli;

import io.recur.config.Task;
import io.recur.run.RunMetrics;
import io.recur.task.TaskKind;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

@DisplayName("the console's held-out summary line")
class SummariesTest {
    private static RunMetrics metrics(Map<String, Object> strongBaseline) {
        return new RunMetrics("job", "run", "classify", "lstm", Map.of("accuracy", 0.98, "macroF1", 0.95, "crossEntropy", 0.06),
                Map.of("accuracy", 0.87, "macroF1", 0.47), strongBaseline, null, 10, null, null, 0, null);
    }

    @Test
    void showsTheStrongBaselineBesideTheTrivialOne() {
        assertEquals("accuracy 0.9800 (baseline 0.8700, strong 0.9700)  macroF1 0.9500 (baseline 0.4700, strong 0.9400)",
                Summaries.headline(TaskKind.of(Task.CLASSIFY), metrics(Map.of("accuracy", 0.97, "macroF1", 0.94))));
    }

    @Test
    void showsOnlyTheTrivialBaselineWhenTheRunHasNoStrongOne() {
        assertEquals("accuracy 0.9800 (baseline 0.8700)  macroF1 0.9500 (baseline 0.4700)",
                Summaries.headline(TaskKind.of(Task.CLASSIFY), metrics(null)));
    }
}
