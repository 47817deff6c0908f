package io.recur.train;

import io.recur.config.AveragingSpec;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaRDDLike;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingWorker;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
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
 *
 * <p>It makes a run repeatable: the same spec, seed, data and worker count give the same model.
 * Every replica seeds ND4J's generator per minibatch ({@link ReplicaSeed}), and the replicas'
 * results are summed in partition order. DL4J sums them with {@code treeAggregate}, whose driver
 * side adds the task results in the order the tasks finish; float addition is not associative, so
 * with three or more replicas the average changed in its last bits from run to run and the runs
 * drifted apart.
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
    private long epochSeed;
    private int roundsStarted;
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
        this.epochSeed = seed;
        this.roundsStarted = 0;
        rng = new Random(seed);
    }

    /** DL4J asks for one worker per round, for the direct and the export approach alike. */
    @Override
    public ParameterAveragingTrainingWorker getWorkerInstance(SparkDl4jMultiLayer network) {
        ParameterAveragingTrainingWorker worker = super.getWorkerInstance(network);
        worker.addHook(new ReplicaSeed(epochSeed * 0x9E3779B97F4A7C15L + ++roundsStarted));
        worker.addHook(new RoundLoss());
        return worker;
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
        boolean scaled = averaging.learningRateFactor(workers) != 1;
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
        if (network == null) {
            super.processResults(null, graph, results, splitNum, totalSplits);
            return;
        }
        average(network, results.collect());
        if (blockMomentum != null) blockMomentum.apply(model, roundStart, network.getNetwork().params());
        // DL4J numbers an epoch's splits from 1.
        listener.roundAveraged(epoch, splitNum - 1, totalSplits, network.getNetwork());
    }

    /**
     * DL4J's averaging of a round (parameters, updater state when it is kept, score; then the
     * iteration count), with the sums taken in partition order. {@code collect} returns the results
     * in that order in one Spark job; the driver holds every replica's result at once for it.
     */
    private void average(SparkDl4jMultiLayer network, List<ParameterAveragingTrainingResult> replicas) {
        INDArray params = null, updater = null;
        double score = 0;
        int averaged = 0;
        for (ParameterAveragingTrainingResult r : replicas) {
            if (r.getParameters() == null) continue;   // a replica whose partition of the round was empty
            params = params == null ? r.getParameters().dup() : params.addi(r.getParameters());
            if (r.getUpdaterState() != null)
                updater = updater == null ? r.getUpdaterState().dup() : updater.addi(r.getUpdaterState());
            score += r.getScore();
            averaged++;
        }
        if (params == null) return;   // no replica had data: DL4J skips such a round too
        MultiLayerNetwork net = network.getNetwork();
        net.setParameters(params.divi(averaged));
        if (updater != null) net.getUpdater().setStateViewArray(null, updater.divi(averaged), false);
        network.setScore(score / averaged);
        Nd4j.getExecutioner().commit();
        net.getLayerWiseConfigurations().setIterationCount(net.getLayerWiseConfigurations().getIterationCount() + averagingFrequency);
    }
}
