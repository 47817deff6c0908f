package io.recur.task;

import io.recur.config.ModelSpec;
import io.recur.config.Task;
import io.recur.eval.Metric;
import io.recur.eval.Scoring;
import io.recur.model.OutputHead;

import java.util.Arrays;
import java.util.List;

/**
 * A task: what the network predicts, how it is scored and judged, and what its reports show. The
 * code that is the same for every task asks its task instead of switching on {@code job.task}, so
 * a new task is a new class here, its name in {@link Task} and its case in {@link #of}.
 */
public sealed interface TaskKind permits CorpusTask, GeneratedTask {

    /** The class of the task a spec names. */
    static TaskKind of(Task name) {
        return switch (name) {
            case CLASSIFY -> new Classification();
            case LM -> new LanguageModel();
            case TAG -> new Tagging();
            case SEQUENCE_REGRESSION -> new AddingProblemTask();
            case SEQUENCE_COPY -> new CopyMemoryTask();
            case SEQUENCE_PRODUCT -> new MultiplicationProblemTask();
        };
    }

    /** Every task, in the order of {@link Task}. */
    static List<TaskKind> all() {
        return Arrays.stream(Task.values()).map(TaskKind::of).toList();
    }

    /** The spec's name of this task. */
    Task name();

    /** The name as a spec and {@code metrics.json} spell it ({@code sequence-copy}). */
    default String label() {
        return name().label();
    }

    /**
     * The metric a run is judged by everywhere: the emphasised row of the report, the console
     * summary, the bake-off comparison and the registry's promotion rule.
     */
    Metric headline();

    /** The metrics the reports show, headline first. */
    List<Metric> reported();

    /** The console's one-line summary: the reported metrics but the cross-entropy that only backs them. */
    default List<Metric> summarised() {
        return reported().stream().filter(m -> m != Metric.CROSS_ENTROPY || m == headline()).toList();
    }

    /** The network's output layer. */
    OutputHead head();

    /** How a held-out batch is scored against the network's output. */
    Scoring scoring();

    /** The report's sections between the training charts and the data, in order. */
    List<ReportSection> sections();

    /** The report header's words for what the network reads. */
    default String input(ModelSpec model) {
        return model.embeddingSize() == 0 ? "one-hot input" : "embedding " + model.embeddingSize();
    }
}
