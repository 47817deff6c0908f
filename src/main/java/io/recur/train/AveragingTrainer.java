package io.recur.train;

import io.recur.config.TrainSpec;
import io.recur.config.TrainingApproach;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Trains replicas of a network on the executors and averages their parameters (DL4J's
 * {@link ParameterAveragingTrainingMaster}), one epoch at a time. After each epoch the
 * validation loss decides whether these are the best parameters so far; training stops after
 * {@code patience} epochs without improvement and the network ends with the best parameters and
 * their updater state.
 */
public final class AveragingTrainer {
    private final JavaSparkContext sc;
    private final TrainSpec spec;
    private final int workers;
    private final long seed;
    private final String exportDirectory;

    /**
     * @param workers         replicas trained in parallel (one per training partition)
     * @param exportDirectory where the EXPORT approach writes minibatches; must be visible to all executors
     */
    public AveragingTrainer(JavaSparkContext sc, TrainSpec spec, int workers, long seed, String exportDirectory) {
        this.sc = sc;
        this.spec = spec;
        this.workers = workers;
        this.seed = seed;
        this.exportDirectory = exportDirectory;
    }

    /**
     * @param tokensPerEpoch real (unpadded) time steps in the training minibatches
     * @param validationLoss lower is better
     */
    public Trained fit(MultiLayerNetwork net, JavaRDD<DataSet> train, long tokensPerEpoch,
                              ToDoubleFunction<MultiLayerNetwork> validationLoss, TrainingProgress progress) {
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, net, trainingMaster());
        List<EpochRecord> log = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        int bestEpoch = 0, sinceBest = 0;
        INDArray bestParams = null, bestUpdater = null;
        long started = System.nanoTime();
        double fitSeconds = 0;
        boolean stoppedEarly = false;
        for (int epoch = 1; epoch <= spec.epochs(); epoch++) {
            progress.epochStarted(epoch, sparkNet);
            long t0 = System.nanoTime();
            sparkNet.fit(train);
            double seconds = (System.nanoTime() - t0) / 1e9;
            fitSeconds += seconds;
            double loss = sparkNet.getScore();
            MultiLayerNetwork current = sparkNet.getNetwork();
            if (!Double.isFinite(loss) || !Double.isFinite(current.params().sumNumber().doubleValue()))
                throw new TrainingDivergedException("training loss became " + loss + " in epoch " + epoch
                        + "; lower model.learning-rate or set model.gradient-clip");
            double val = validationLoss.applyAsDouble(current);
            boolean improved = val < best;
            if (improved) {
                best = val;
                bestEpoch = epoch;
                sinceBest = 0;
                bestParams = current.params().dup();
                INDArray state = current.getUpdater().getStateViewArray();
                bestUpdater = state == null ? null : state.dup();
            } else {
                sinceBest++;
            }
            EpochRecord record = new EpochRecord(epoch, loss, val, seconds, tokensPerEpoch / seconds, improved);
            log.add(record);
            progress.epochEnded(record);
            if (spec.patienceEpochs() > 0 && sinceBest >= spec.patienceEpochs() && epoch < spec.epochs()) {
                stoppedEarly = true;
                break;
            }
        }
        MultiLayerNetwork result = sparkNet.getNetwork();
        result.setParams(bestParams);
        if (bestUpdater != null) result.getUpdater().getStateViewArray().assign(bestUpdater);
        double total = (System.nanoTime() - started) / 1e9;
        return new Trained(result, new TrainingReport(log, bestEpoch, best, total,
                tokensPerEpoch * (double) log.size() / fitSeconds, workers, stoppedEarly));
    }

    /** The network with the best parameters, and how it got there. */
    public record Trained(MultiLayerNetwork network, TrainingReport report) {}

    private ParameterAveragingTrainingMaster trainingMaster() {
        var builder = new ParameterAveragingTrainingMaster.Builder(workers, spec.batchSize())
                .batchSizePerWorker(spec.batchSize())
                .averagingFrequency(spec.averagingFrequencyBatches())
                .workerPrefetchNumBatches(spec.prefetchBatches())
                .storageLevel(StorageLevel.fromString(spec.storageLevel()))
                .rngSeed(seed)
                // The job already balanced the minibatches over workers × k partitions.
                .repartionData(Repartition.NumPartitionsWorkersDiffers)
                .saveUpdater(true)
                .collectTrainingStats(false);
        if (spec.approach() == TrainingApproach.EXPORT) {
            builder.rddTrainingApproach(RDDTrainingApproach.Export).exportDirectory(exportDirectory);
        } else {
            builder.rddTrainingApproach(RDDTrainingApproach.Direct);
        }
        return builder.build();
    }
}
