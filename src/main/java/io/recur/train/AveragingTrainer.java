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
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * Trains replicas of a network on the executors and averages their parameters (DL4J's
 * {@link ParameterAveragingTrainingMaster}), one epoch at a time. After each epoch the
 * validation loss decides whether these are the best parameters so far; training stops after
 * {@code patience} epochs without improvement, or after the first epoch whose validation loss
 * reaches {@code target-validation-loss}, and the network ends with the best parameters and
 * their updater state. How a round's replicas are combined (block momentum, learning-rate
 * scaling, whether the updater state is averaged) follows {@code train.*}'s {@link io.recur.config.AveragingSpec}.
 */
public final class AveragingTrainer {
    private final JavaSparkContext sc;
    private final TrainSpec spec;
    private final int workers;
    private final long seed;
    private final String exportDirectory;
    private final RoundListener rounds;

    /**
     * @param workers         replicas trained in parallel (one per training partition)
     * @param exportDirectory where the EXPORT approach writes minibatches; must be visible to all executors
     */
    public AveragingTrainer(JavaSparkContext sc, TrainSpec spec, int workers, long seed, String exportDirectory) {
        this(sc, spec, workers, seed, exportDirectory, RoundListener.NONE);
    }

    /** @param rounds told after every averaging round (the statistical-efficiency benchmark watches them) */
    public AveragingTrainer(JavaSparkContext sc, TrainSpec spec, int workers, long seed, String exportDirectory,
                            RoundListener rounds) {
        this.sc = sc;
        this.spec = spec;
        this.workers = workers;
        this.seed = seed;
        this.exportDirectory = exportDirectory;
        this.rounds = rounds;
    }

    /**
     * Trains from {@code start} (a fresh network, a warm start or a restored checkpoint) until
     * {@code train.epochs} or early stopping, and hands a checkpoint to {@code afterEpoch} after every
     * epoch whose loss is finite. A NaN or infinite loss throws before the epoch is checkpointed.
     *
     * @param tokensPerEpoch real (unpadded) time steps in the training minibatches
     * @param validationLoss lower is better
     */
    public Trained fit(Checkpoint start, JavaRDD<DataSet> train, long tokensPerEpoch,
                       ToDoubleFunction<MultiLayerNetwork> validationLoss, TrainingProgress progress,
                       Consumer<Checkpoint> afterEpoch) {
        EpochSeededTrainingMaster master = trainingMaster();
        if (spec.approach() == TrainingApproach.DIRECT) master.countOnce(train);
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, start.network(), master);
        Checkpoint state = start;
        long started = System.nanoTime();
        while (state.epoch() < spec.epochs() && !patienceRunOut(state) && !targetReached(state)) {
            int epoch = state.epoch() + 1;
            long epochSeed = epochSeed(epoch);
            master.startEpoch(epoch, epochSeed);
            Nd4j.getRandom().setSeed(epochSeed);
            progress.epochStarted(epoch, sparkNet);
            long t0 = System.nanoTime();
            sparkNet.fit(train);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double loss = sparkNet.getScore();
            MultiLayerNetwork current = sparkNet.getNetwork();
            if (!Double.isFinite(loss) || !Double.isFinite(current.params().sumNumber().doubleValue()))
                throw diverged("training loss became " + loss, epoch);
            double val = validationLoss.applyAsDouble(current);
            if (!Double.isFinite(val))
                throw diverged("validation loss became " + val, epoch);
            boolean improved = val < state.bestValidationLoss();
            INDArray bestParams = state.bestParams(), bestUpdater = state.bestUpdaterState();
            if (improved) {
                bestParams = current.params().dup();
                INDArray updater = current.getUpdater().getStateViewArray();
                bestUpdater = updater == null ? null : updater.dup();
            }
            EpochRecord record = new EpochRecord(epoch, loss, val, seconds, tokensPerEpoch / seconds, improved);
            List<EpochRecord> log = new ArrayList<>(state.log());
            log.add(record);
            state = new Checkpoint(epoch, current, bestParams, bestUpdater,
                    improved ? epoch : state.bestEpoch(), improved ? val : state.bestValidationLoss(),
                    improved ? 0 : state.epochsSinceBest() + 1, state.fitSeconds() + seconds,
                    start.seconds() + (System.nanoTime() - started) / 1e9, log);
            progress.epochEnded(record);
            afterEpoch.accept(state);
        }
        MultiLayerNetwork result = sparkNet.getNetwork();
        if (state.bestParams() != null) result.setParams(state.bestParams());
        if (state.bestUpdaterState() != null) result.getUpdater().getStateViewArray().assign(state.bestUpdaterState());
        double total = start.seconds() + (System.nanoTime() - started) / 1e9;
        return new Trained(result, new TrainingReport(state.log(), state.bestEpoch(), state.bestValidationLoss(), total,
                tokensPerEpoch * (double) state.log().size() / state.fitSeconds(), workers,
                state.epoch() < spec.epochs()));
    }

    /**
     * Averaging rounds, so Spark jobs, per epoch of the direct approach: DL4J splits the minibatches
     * into floor(minibatches / (workers × frequency)) rounds, at least one, and spreads the remainder
     * over them.
     */
    public static int roundsPerEpoch(long minibatches, int workers, int averagingFrequencyBatches) {
        return (int) Math.max(1, minibatches / ((long) workers * averagingFrequencyBatches));
    }

    private boolean patienceRunOut(Checkpoint state) {
        return spec.patienceEpochs() > 0 && state.epochsSinceBest() >= spec.patienceEpochs();
    }

    /** Judged on the last epoch trained, so a warm start already at the target still trains one. */
    private boolean targetReached(Checkpoint state) {
        return spec.targetValidationLoss() > 0 && !state.log().isEmpty()
                && state.log().get(state.log().size() - 1).validationLoss() <= spec.targetValidationLoss();
    }

    /** Epoch k's random state depends only on the job seed and k, so a resumed epoch k repeats it. */
    private long epochSeed(int epoch) {
        return seed * 0x9E3779B97F4A7C15L + epoch;
    }

    private static TrainingDivergedException diverged(String what, int epoch) {
        return new TrainingDivergedException(what + " in epoch " + epoch
                + "; lower model.learning-rate or set model.gradient-clip");
    }

    /** The network with the best parameters, and how it got there. */
    public record Trained(MultiLayerNetwork network, TrainingReport report) {}

    private EpochSeededTrainingMaster trainingMaster() {
        var builder = new ParameterAveragingTrainingMaster.Builder(workers, spec.batchSize())
                .batchSizePerWorker(spec.batchSize())
                .averagingFrequency(spec.averagingFrequencyBatches())
                .workerPrefetchNumBatches(spec.prefetchBatches())
                .storageLevel(StorageLevel.fromString(spec.storageLevel()))
                .rngSeed(seed)
                // The job already balanced the minibatches over workers × k partitions.
                .repartionData(Repartition.NumPartitionsWorkersDiffers)
                .saveUpdater(spec.averaging().averageUpdaterState())
                .collectTrainingStats(false);
        if (spec.approach() == TrainingApproach.EXPORT) {
            builder.rddTrainingApproach(RDDTrainingApproach.Export).exportDirectory(exportDirectory);
        } else {
            builder.rddTrainingApproach(RDDTrainingApproach.Direct);
        }
        return new EpochSeededTrainingMaster(builder, spec.averaging(), workers, rounds);
    }
}
