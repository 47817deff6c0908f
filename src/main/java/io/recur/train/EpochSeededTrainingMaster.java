package io.recur.train;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaRDDLike;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;

import java.util.Random;

/**
 * DL4J's parameter averaging, with the random generator that splits each epoch's minibatches into
 * averaging rounds reseeded at the start of every epoch. DL4J seeds it once per training master, so
 * a run resumed at epoch k would otherwise split epoch k differently from a run that never stopped.
 * It also takes the number of training minibatches once: DL4J counts the training RDD at the start
 * of every epoch, a Spark job that waits for every executor while the count cannot change.
 */
final class EpochSeededTrainingMaster extends ParameterAveragingTrainingMaster {
    private int countedRdd = -1;
    private long minibatches;

    EpochSeededTrainingMaster(Builder builder) {
        super(builder);
    }

    void reseed(long seed) {
        rng = new Random(seed);
    }

    /**
     * Counts {@code train} now, for every later epoch on it. Other RDDs are still counted each time,
     * such as the exported paths of the export approach, whose number differs from the minibatches.
     */
    void countOnce(JavaRDD<DataSet> train) {
        minibatches = train.count();
        countedRdd = train.rdd().id();
    }

    @Override
    protected <T, R extends JavaRDDLike<T, R>> long getTotalDataSetObjectCount(JavaRDDLike<T, R> trainingData) {
        return trainingData.rdd().id() == countedRdd ? minibatches : super.getTotalDataSetObjectCount(trainingData);
    }
}
