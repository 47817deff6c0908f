package io.recur.task;

import io.recur.config.Task;
import io.recur.eval.Baselines;
import io.recur.eval.Metric;
import io.recur.eval.Scoring;
import io.recur.model.OutputHead;
import io.recur.synthetic.CopyMemory;
import io.recur.synthetic.SyntheticTask;
import org.apache.spark.api.java.JavaRDD;
import org.nd4j.linalg.dataset.DataSet;

import java.util.List;

/** Copy memory (sequence-copy): recall 10 symbols after a long blank gap. */
public record CopyMemoryTask() implements GeneratedTask {
    @Override
    public Task name() {
        return Task.SEQUENCE_COPY;
    }

    @Override
    public Metric headline() {
        return Metric.CROSS_ENTROPY;
    }

    @Override
    public List<Metric> reported() {
        return List.of(Metric.CROSS_ENTROPY, Metric.RECALL_ACCURACY);
    }

    @Override
    public OutputHead head() {
        return OutputHead.CLASS_PER_STEP;
    }

    @Override
    public Scoring scoring() {
        return Scoring.RECALL_PER_STEP;
    }

    @Override
    public SyntheticTask generator(int steps) {
        return new CopyMemory(steps);
    }

    /** Blank before the recall steps, uniform over the symbols at them: what a network without memory can do. */
    @Override
    public Baseline baseline(int steps, JavaRDD<DataSet> train, JavaRDD<DataSet> test) {
        return new Baseline("memoryless (blank, then uniform over the 8 symbols)",
                Baselines.memoryless(new CopyMemory(steps), test));
    }
}
