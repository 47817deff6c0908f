package io.recur.task;

import io.recur.config.ModelSpec;
import io.recur.eval.Baselines;
import io.recur.eval.Metric;
import io.recur.eval.Scoring;
import io.recur.model.OutputHead;
import org.apache.spark.api.java.JavaRDD;
import org.nd4j.linalg.dataset.DataSet;

import java.util.List;
import java.util.Locale;

/**
 * A generated task whose target is one real value read at the last step (the adding and
 * multiplication problems): judged by mean squared error, against the training-target mean. A
 * task of this family is its name and its generator.
 */
public sealed interface LastStepRegression extends GeneratedTask permits AddingProblemTask, MultiplicationProblemTask {
    @Override
    default Metric headline() {
        return Metric.MSE;
    }

    @Override
    default List<Metric> reported() {
        return List.of(Metric.MSE);
    }

    @Override
    default OutputHead head() {
        return OutputHead.VALUE_AT_LAST_STEP;
    }

    @Override
    default Scoring scoring() {
        return Scoring.VALUE_PER_SEQUENCE;
    }

    @Override
    default String input(ModelSpec model) {
        return "real-valued input";
    }

    /** The training-target mean, the best constant under squared error. */
    @Override
    default Baseline baseline(int steps, JavaRDD<DataSet> train, JavaRDD<DataSet> test) {
        double mean = Baselines.meanTarget(train);
        return new Baseline(String.format(Locale.ROOT, "constant training-target mean %.4f", mean),
                Baselines.constant(mean, test));
    }
}
