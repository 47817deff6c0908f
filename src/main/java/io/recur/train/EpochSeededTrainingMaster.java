package io.recur.train;

import io.recur.config.AveragingSpec;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaRDDLike;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.Random;

/**
 * DL4J's parameter averaging, with the random generator that splits each epoch's minibatches into
 * averaging rounds reseeded at the start of every epoch. DL4J seeds it once per training master, so
 * a run resumed at epoch k would otherwise split epoch k differently from a run that never stopped.
 * It also takes the number of training minibatches once: DL4J counts the training RDD at the start
 * of every epoch, a Spark job that waits for every executor while the count cannot change.
 *
 * <p>Around each round (one {@code doIteration}) it applies the {@link AveragingSpec}: the replicas'
 * learning rate for the round before DL4J broadcasts the configuration, and block momentum on the
 * average after DL4J has combined the replicas' results.
 */
final class EpochSeededTrainingMaster extends ParameterAveragingTrainingMaster {
    private int countedRdd = -1;
    private long minibatches;
    private final AveragingSpec averaging;
    private final int workers;
    private final RoundListener listener;
    private final BlockMomentum blockMomentum;
    private double baseLearningRate;
    private int epoch;
    private INDArray model;
    private INDArray roundStart;

    EpochSeededTrainingMaster(Builder builder, AveragingSpec averaging, int workers, RoundListener listener) {
        super(builder);
        this.averaging = averaging;
        this.workers = workers;
        this.listener = listener;
        this.blockMomentum = averaging.plainAverage(workers) ? null
                : new BlockMomentum(averaging.blockMomentum(workers), averaging.blockLearningRate(), averaging.nesterov());
    }

    /** Epoch {@code epoch} (1-based) starts: its rounds are split with {@code seed}. */
    void startEpoch(int epoch, long seed) {
        this.epoch = epoch;
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

    @Override
    protected void doIteration(SparkDl4jMultiLayer network, JavaRDD<DataSet> split, int splitNum, int numSplits) {
        MultiLayerNetwork net = network.getNetwork();
        boolean scaled = averaging.learningRateScaling().factor(workers) != 1;
        if (scaled) {
            // Only the broadcast configuration carries the scaled rate: the driver's network gets its
            // base rate back after the round, so checkpoints and the saved model keep model.learning-rate.
            // The warm-up position is counted from the epoch and split (DL4J numbers splits from 1), so
            // a resumed epoch e repeats epoch e's rates.
            baseLearningRate = baseLearningRate(net);
            double epochsAtRoundEnd = Math.max(0, epoch - 1) + splitNum / (double) numSplits;
            net.setLearningRate(averaging.learningRate(baseLearningRate, workers, epochsAtRoundEnd));
        }
        if (blockMomentum != null) {
            // DL4J broadcasts the driver's parameters: for the round they are the replicas' start, and
            // processResults puts the filtered model back, so checkpoints never hold a look-ahead.
            model = net.params().dup();
            roundStart = blockMomentum.roundStart(model);
            net.params().assign(roundStart);
        }
        try {
            super.doIteration(network, split, splitNum, numSplits);
        } finally {
            if (scaled) network.getNetwork().setLearningRate(baseLearningRate);
        }
    }

    private static double baseLearningRate(MultiLayerNetwork net) {
        for (int i = 0; i < net.getnLayers(); i++) {
            Double rate = net.getLearningRate(i);
            if (rate != null) return rate;
        }
        throw new IllegalStateException("learning-rate scaling needs a layer with a learning rate; the network has none");
    }

    @Override
    protected void processResults(SparkDl4jMultiLayer network, SparkComputationGraph graph,
                                  JavaRDD<ParameterAveragingTrainingResult> results, int splitNum, int totalSplits) {
        super.processResults(network, graph, results, splitNum, totalSplits);
        if (network == null) return;
        if (blockMomentum != null) blockMomentum.apply(model, roundStart, network.getNetwork().params());
        // DL4J numbers an epoch's splits from 1.
        listener.roundAveraged(epoch, splitNum - 1, totalSplits, network.getNetwork());
    }
}
