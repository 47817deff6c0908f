package io.recur.train;

import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;

import java.util.Random;

/**
 * DL4J's parameter averaging, with the random generator that splits each epoch's minibatches into
 * averaging rounds reseeded at the start of every epoch. DL4J seeds it once per training master, so
 * a run resumed at epoch k would otherwise split epoch k differently from a run that never stopped.
 */
final class EpochSeededTrainingMaster extends ParameterAveragingTrainingMaster {
    EpochSeededTrainingMaster(Builder builder) {
        super(builder);
    }

    void reseed(long seed) {
        rng = new Random(seed);
    }
}
