package io.recur.train;

import org.apache.spark.TaskContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;

/**
 * Seeds ND4J's generator on the executor before every minibatch a replica fits, from the round's
 * seed, the replica's partition and the minibatch's place in it. DL4J's workers never seed it, and
 * it is per thread: dropout masks would otherwise depend on which task an executor thread ran
 * before, so two runs of the same job would train different models.
 *
 * <p>Spark deserializes a copy of the hook for every task, so the minibatch count is per replica.
 */
final class ReplicaSeed implements TrainingHook {
    private final long roundSeed;
    private long minibatch;

    ReplicaSeed(long roundSeed) {
        this.roundSeed = roundSeed;
    }

    /** The seed of minibatch {@code minibatch} of the replica trained on {@code partition}. */
    static long seed(long roundSeed, int partition, long minibatch) {
        return new SplittableRandom(new SplittableRandom(roundSeed ^ (0x9E3779B97F4A7C15L * (partition + 1))).nextLong()
                + minibatch).nextLong();
    }

    private void seedNext() {
        TaskContext task = TaskContext.get();
        int partition = task == null ? 0 : task.partitionId();
        Nd4j.getRandom().setSeed(seed(roundSeed, partition, minibatch++));
    }

    @Override
    public void preUpdate(DataSet minibatch, Model model) {
        seedNext();
    }

    @Override
    public void preUpdate(MultiDataSet minibatch, Model model) {
        seedNext();
    }

    @Override
    public void postUpdate(DataSet minibatch, Model model) {
    }

    @Override
    public void postUpdate(MultiDataSet minibatch, Model model) {
    }
}
