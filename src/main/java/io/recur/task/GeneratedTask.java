package io.recur.task;

import io.recur.config.Task;
import io.recur.eval.EvalTally;
import io.recur.synthetic.SyntheticTask;
import org.apache.spark.api.java.JavaRDD;
import org.nd4j.linalg.dataset.DataSet;

import java.util.List;

/**
 * A task whose examples are generated from the job seed (sequence-regression, sequence-copy,
 * sequence-product): a
 * benchmark of what a network carries forward in time, with no text to evaluate, predict or export.
 */
public sealed interface GeneratedTask extends TaskKind permits LastStepRegression, CopyMemoryTask {

    /** The class of a generated task; a corpus task is refused. */
    static GeneratedTask of(Task name) {
        if (TaskKind.of(name) instanceof GeneratedTask task) return task;
        throw new IllegalArgumentException("job.task = " + name.label() + " reads a corpus; it generates no examples");
    }

    /** The generator of this task's examples with T = {@code steps}. */
    SyntheticTask generator(int steps);

    /** The trivial baseline at T = {@code steps}, fitted on {@code train} where it needs fitting, scored on {@code test}. */
    Baseline baseline(int steps, JavaRDD<DataSet> train, JavaRDD<DataSet> test);

    /** A baseline's name (in {@code metrics.json}) and its score. */
    record Baseline(String name, EvalTally tally) {}

    @Override
    default List<ReportSection> sections() {
        return List.of();
    }
}
