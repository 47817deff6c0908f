package io.recur.task;

import io.recur.config.Task;
import io.recur.synthetic.AddingProblem;
import io.recur.synthetic.MultiplicationProblem;
import io.recur.synthetic.SyntheticTask;

/**
 * The multiplication problem (sequence-product): the product of the two marked values of a long
 * sequence. The worked example of a new task in docs/architecture.md: this class, its generator
 * and their registrations.
 */
public record MultiplicationProblemTask() implements LastStepRegression {
    @Override
    public Task name() {
        return Task.SEQUENCE_PRODUCT;
    }

    @Override
    public SyntheticTask generator(int steps) {
        return new MultiplicationProblem(new AddingProblem(steps));
    }
}
