package io.recur.task;

import io.recur.config.ModelSpec;
import io.recur.config.Task;
import io.recur.eval.Baselines;
import io.recur.eval.Metric;
import io.recur.eval.Scoring;
import io.recur.model.OutputHead;
import io.recur.synthetic.AddingProblem;
import io.recur.synthetic.MultiplicationProblem;
import io.recur.synthetic.SyntheticTask;
import org.apache.spark.api.java.JavaRDD;
import org.nd4j.linalg.dataset.DataSet;

import java.util.List;
import java.util.Locale;

/**
 * The multiplication problem (sequence-product): the product of the two marked values of a long
 * sequence. The worked example of a new task in docs/architecture.md: it is this class, its
 * generator and their registrations.
 */
public record MultiplicationProblemTask() implements GeneratedTask {
    @Override
    public Task name() {
        return Task.SEQUENCE_PRODUCT;
    }

    @Override
    public Metric headline() {
        return Metric.MSE;
    }

    @Override
    public List<Metric> reported() {
        return List.of(Metric.MSE);
    }

    @Override
    public OutputHead head() {
        return OutputHead.VALUE_AT_LAST_STEP;
    }

    @Override
    public Scoring scoring() {
        return Scoring.VALUE_PER_SEQUENCE;
    }

    @Override
    public String input(ModelSpec model) {
        return "real-valued input";
    }

    @Override
    public SyntheticTask generator(int steps) {
        return new MultiplicationProblem(new AddingProblem(steps));
    }

    /** The training-target mean, the best constant under squared error (1/4 for uniform values). */
    @Override
    public Baseline baseline(int steps, JavaRDD<DataSet> train, JavaRDD<DataSet> test) {
        double mean = Baselines.meanTarget(train);
        return new Baseline(String.format(Locale.ROOT, "constant training-target mean %.4f", mean),
                Baselines.constant(mean, test));
    }
}
