package io.recur.job;

import io.recur.config.JobSpec;
import io.recur.data.Minibatches;
import io.recur.data.PreparedData;
import io.recur.data.TrainingData;
import io.recur.data.WarmStart;
import io.recur.encode.BatchShape;
import io.recur.eval.HeldOutEvaluator;
import io.recur.run.RunDirectory;
import io.recur.run.SavedRun;
import io.recur.task.TaskKind;
import io.recur.model.NetworkFactory;
import io.recur.provenance.ModelProvenance;
import io.recur.run.RunMetrics;
import io.recur.run.TrainingSummary;
import io.recur.run.WarmStartRecord;
import io.recur.storage.Sha256;
import io.recur.train.AveragingTrainer;
import io.recur.train.Checkpoint;
import io.recur.train.CheckpointStore;
import io.recur.train.EpochRecord;
import io.recur.train.TrainingProgress;
import io.recur.train.TrainingReport;
import io.recur.vocab.VocabularyFile;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The training job: prepares minibatches balanced over the workers ({@link PreparedData}: read
 * from the corpus, or generated for a synthetic task) unless given them, trains by parameter
 * averaging with validation after each epoch, evaluates the best parameters and a trivial baseline on the test split, and
 * publishes the run directory.
 */
public final class TrainJob {
    private final JobSpec spec;
    private final PrintStream console;
    private final boolean liveProgress;

    public TrainJob(JobSpec spec, PrintStream console, boolean liveProgress) {
        this.spec = spec;
        this.console = console;
        this.liveProgress = liveProgress;
    }

    /**
     * Trains as {@code request} says: claims the run directory unless it brings one (so an
     * unwritable output fails before Spark starts), starts Spark unless it brings a context,
     * trains from scratch, from the newest matching checkpoint in {@code options.checkpointDir()},
     * warm-started from {@code options.warmStart()} or on {@code options.prepared()}, and publishes
     * the run. On failure the run directory is discarded; a checkpoint directory and prepared data
     * are left as they are.
     *
     * @throws IllegalArgumentException if the prepared data was prepared for a spec whose data differs
     *                                  ({@link PreparedData#fits})
     */
    public TrainResult run(TrainRequest request) {
        TrainOptions options = request.options();
        if (options.prepared() != null && !options.prepared().fits(spec))
            throw new IllegalArgumentException("the prepared data belongs to another job spec's data settings");
        RunDirectory dir = request.dir() != null ? request.dir() : RunDirectory.create(spec.output().dir(), spec.name(),
                request.spark() != null ? request.spark().hadoopConfiguration() : new Configuration());
        try {
            if (request.spark() != null) return train(request.spark(), dir, options);
            JavaSparkContext sc = SparkContexts.start(spec, request.master());
            try {
                return train(sc, dir, options);
            } finally {
                sc.stop();
            }
        } catch (Throwable e) {
            // Throwable: Spark throws its checked SparkException undeclared, and a failed task must not leave the run.
            dir.discard();
            throw e;
        }
    }

    private TrainResult train(JavaSparkContext sc, RunDirectory dir, TrainOptions options) {
        if (options.prepared() != null) return train(sc, dir, options.prepared(), options);
        try (PreparedData prepared = PreparedData.prepare(sc, spec, options.warmStart(), console)) {
            return train(sc, dir, prepared, options);
        }
    }

    private TrainResult train(JavaSparkContext sc, RunDirectory dir, PreparedData prepared, TrainOptions options) {
        TrainingData data = prepared.data();
        WarmStart warm = prepared.warmStart();
        long seed = spec.seed();
        int workers = prepared.workers();
        SavedRun parent = options.warmStart();
        if (parent != null) console.println("warm start: " + warm.outcome().decision());
        BatchShape trainShape = Minibatches.shape(data.train());
        console.printf(Locale.ROOT, "training data: %d examples in %d minibatches over %d partitions; padding %.1f%% of time steps%n",
                trainShape.examples(), trainShape.batches(), data.train().getNumPartitions(), 100 * trainShape.paddingFraction());

        HeldOutEvaluator evaluator = data.evaluator();
        ToDoubleFunction<MultiLayerNetwork> validationLoss = n -> evaluator.loss(evaluator.evaluate(sc, n, data.validation()));
        CheckpointStore checkpoints = options.checkpointDir() == null ? null
                : new CheckpointStore(options.checkpointDir(), checkpointKey(data, parent), sc.hadoopConfiguration());
        Checkpoint start = checkpoints == null ? null : checkpoints.latest().orElse(null);
        if (start != null) {
            console.printf("resuming after epoch %d from the checkpoint in %s%n", start.epoch(), options.checkpointDir());
        } else {
            MultiLayerNetwork net = NetworkFactory.create(spec.model(), data.shape(), seed);
            if (warm.used()) {
                warm.copyInto(net);
                start = Checkpoint.continuing(net, validationLoss.applyAsDouble(net));
            } else {
                start = Checkpoint.start(net);
            }
        }
        int resumedFromEpoch = start.epoch();
        int rounds = AveragingTrainer.roundsPerEpoch(trainShape.batches(), workers, spec.train().averagingFrequencyBatches());
        TrainingProgress progress = new TrainingProgress(console, liveProgress, spec.train().epochs(), rounds,
                trainShape.examples(), trainShape.realSteps());
        String exportDir = new Path(spec.output().workDir(), "export-" + dir.runId()).toString();
        progress.attach(sc);
        AveragingTrainer.Trained trained;
        try {
            trained = new AveragingTrainer(sc, spec.train(), workers, seed, exportDir)
                    .fit(start, data.train(), trainShape.realSteps(), validationLoss, progress,
                            checkpoints == null ? c -> { } : checkpoints::save);
        } finally {
            progress.detach(sc);
            deleteQuietly(exportDir, sc.hadoopConfiguration());
        }

        TrainingData.Scores scores = data.score(sc, trained.network());
        if (scores.strongBaseline() != null) printStrongBaseline(scores.strongBaseline(), trained.report().seconds());
        WarmStartRecord warmStart = warm.outcome().record(parent == null ? null : parent.provenance().runId());
        RunMetrics metrics = metrics(dir, trained, trainShape, scores, data, resumedFromEpoch, warmStart);
        ModelProvenance provenance = ModelProvenance.of(spec.name(), dir.runId(), data.fingerprint(),
                data.examples(), VocabularyFile.sha256(data.vocab()), sc.version(), Instant.now());
        List<EpochRecord> log = trained.report().epochs();
        SavedRun run = new SavedRun(spec, trained.network(), data.vocab(), data.labels(), provenance);
        try {
            var report = RunReport.files(dir.finalPath(), run, metrics, log, data.testExamples());
            return new TrainResult(run.publish(dir, metrics, log, report).toString(), metrics, log);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the run failed: " + e.getMessage(), e);
        }
    }

    private RunMetrics metrics(RunDirectory dir, AveragingTrainer.Trained trained, BatchShape trainShape,
                               TrainingData.Scores scores, TrainingData data, int resumedFromEpoch,
                               WarmStartRecord warmStart) {
        TrainingReport r = trained.report();
        TrainingSummary training = new TrainingSummary(r.epochs().size(), r.bestEpoch(), r.bestValidationLoss(),
                r.stoppedEarly(), r.seconds(), r.tokensPerSecond(), r.workers(), trained.network().numParams(),
                trainShape.examples(), trainShape.batches(), trainShape.paddingFraction(), data.unknownValidationLabels());
        Map<String, Object> description = data.description().getValue();
        boolean generated = spec.task().synthetic();
        return new RunMetrics(spec.name(), dir.runId(), spec.task().label(),
                spec.model().cell().id(), scores.heldOut(), scores.baseline(), scores.strongBaseline(), training, data.vocab().size(),
                generated ? null : description, generated ? description : null,
                resumedFromEpoch, warmStart);
    }

    /** Its headline and what it cost beside training, which issue 15 asks to keep under 10%. */
    private void printStrongBaseline(Map<String, Object> strong, double trainingSeconds) {
        String headline = TaskKind.of(spec.task()).headline().key();
        double seconds = ((Number) strong.get("seconds")).doubleValue();
        console.printf(Locale.ROOT, "strong baseline: %s: %s %.4f; %.1f s (%.1f%% of the %.1f s of training)%n",
                strong.get("name"), headline, ((Number) strong.get(headline)).doubleValue(), seconds,
                100 * seconds / trainingSeconds, trainingSeconds);
    }

    /**
     * Which checkpoints this run may continue: those of the same model-defining spec, the same
     * training data and the same warm-start parent.
     */
    private String checkpointKey(TrainingData data, SavedRun parent) {
        String identity = spec.trainingText() + "\n" + data.fingerprint() + "\n"
                + (parent == null ? "no warm start" : parent.provenance().runId() + " " + parent.provenance().vocabSha256());
        return Sha256.hex(identity);
    }

    private static void deleteQuietly(String path, Configuration hadoop) {
        try {
            Path p = new Path(path);
            p.getFileSystem(hadoop).delete(p, true);
        } catch (IOException e) {
            // Scratch space only; a leftover export directory does not affect results.
        }
    }

    /** Where the run was published, what it measured (its {@code metrics.json}), and its training log. */
    public record TrainResult(String runDirectory, RunMetrics metrics, List<EpochRecord> epochs) {
        /** The checkpoint's epoch the run continued after; 0 = started at epoch 1. */
        public int resumedFromEpoch() {
            return metrics.resumedFromEpoch();
        }

        public WarmStartRecord warmStart() {
            return metrics.warmStart();
        }
    }
}
