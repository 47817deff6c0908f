package io.recur.task;

import io.recur.config.Task;
import io.recur.eval.Scoring;
import io.recur.synthetic.AddingProblem;
import io.recur.synthetic.CopyMemory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract every task keeps, so that code shared by the tasks can rely on it. */
@DisplayName("TaskKind")
class TaskKindTest {
    @ParameterizedTest
    @EnumSource(Task.class)
    void everySpecNameHasATaskThatAnswersToIt(Task name) {
        assertEquals(name, TaskKind.of(name).name());
    }

    @ParameterizedTest
    @EnumSource(Task.class)
    void theGeneratedTasksAreTheSyntheticOnesAndTheOthersReadACorpus(Task name) {
        TaskKind task = TaskKind.of(name);
        assertEquals(name.synthetic(), task instanceof GeneratedTask);
        assertEquals(!name.synthetic(), task instanceof CorpusTask);
    }

    @ParameterizedTest
    @EnumSource(Task.class)
    void aManyToOneHeadIsScoredOncePerSequence(Task name) {
        TaskKind task = TaskKind.of(name);
        boolean perSequence = task.scoring() == Scoring.CLASS_PER_SEQUENCE || task.scoring() == Scoring.VALUE_PER_SEQUENCE;
        assertEquals(task.head().manyToOne(), perSequence, task.label());
    }

    @ParameterizedTest
    @EnumSource(Task.class)
    void reportsEachMetricOnce(Task name) {
        TaskKind task = TaskKind.of(name);
        assertEquals(task.reported().size(), task.reported().stream().distinct().count(), task.label());
        assertTrue(task.reported().containsAll(task.summarised()), task.label());
    }

    @Test
    void makesTheGeneratorOfEachSyntheticTask() {
        assertInstanceOf(AddingProblem.class, GeneratedTask.of(Task.SEQUENCE_REGRESSION).generator(10));
        assertInstanceOf(CopyMemory.class, GeneratedTask.of(Task.SEQUENCE_COPY).generator(10));
    }

    @Test
    void refusesToGenerateTheExamplesOfACorpusTask() {
        var e = assertThrows(IllegalArgumentException.class, () -> GeneratedTask.of(Task.LM));
        assertTrue(e.getMessage().contains("job.task = lm"), e.getMessage());
    }

    @Test
    void refusesToReadACorpusForAGeneratedTask() {
        var e = assertThrows(IllegalArgumentException.class, () -> CorpusTask.of(Task.SEQUENCE_COPY));
        assertTrue(e.getMessage().contains("job.task = sequence-copy"), e.getMessage());
    }

    @Test
    void spellsItsNameTheSameInATurkishLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr"));
            // "CLASSIFY".toLowerCase() in Turkish gives a dotless ı: metrics.json would say classıfy.
            assertEquals("classify", TaskKind.of(Task.CLASSIFY).label());
            assertEquals("sequence-regression", Task.SEQUENCE_REGRESSION.label());
        } finally {
            Locale.setDefault(before);
        }
    }
}
