package io.recur.task;

import io.recur.config.Task;
import io.recur.synthetic.AddingProblem;
import io.recur.synthetic.SyntheticTask;

/** The adding problem (sequence-regression): the sum of the two marked values of a long sequence. */
public record AddingProblemTask() implements LastStepRegression {
    @Override
    public Task name() {
        return Task.SEQUENCE_REGRESSION;
    }

    @Override
    public SyntheticTask generator(int steps) {
        return new AddingProblem(steps);
    }
}
