package io.recur.cli;

import io.recur.config.Task;
import io.recur.task.TaskKind;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

@DisplayName("the console's held-out summary line")
class SummariesTest {
    private static Map<String, Object> metrics(Object strongBaseline) {
        Map<String, Object> m = new HashMap<>();
        m.put("heldOut", Map.of("accuracy", 0.98, "macroF1", 0.95, "crossEntropy", 0.06));
        m.put("baseline", Map.of("accuracy", 0.87, "macroF1", 0.47));
        m.put("strongBaseline", strongBaseline);
        return m;
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
