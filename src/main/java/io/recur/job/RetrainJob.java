package io.recur.job;

import io.recur.config.EnumNames;
import io.recur.config.JobSpec;
import io.recur.config.UserInputException;
import io.recur.corpus.MetastoreTable;
import io.recur.corpus.Split;
import io.recur.corpus.TableFiles;
import io.recur.provenance.BuildInfo;
import io.recur.registry.CorpusFingerprint;
import io.recur.registry.Lease;
import io.recur.registry.LeaseHeldException;
import io.recur.registry.Lineage;
import io.recur.registry.MetricComparison;
import io.recur.registry.Outcome;
import io.recur.registry.Registry;
import io.recur.run.RunDirectory;
import io.recur.run.SavedRun;
import io.recur.task.CorpusTask;
import io.recur.train.TrainingDivergedException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One round of scheduled retraining against the registry ({@code registry.*}):
 * <ol>
 * <li>take the model's lease, or stop with {@link Status#LEASE_HELD} without touching anything;</li>
 * <li>fingerprint the corpus; the champion's fingerprint again means {@link Status#UNCHANGED};</li>
 * <li>train in {@code <model>/.staging/}, warm-started from the champion, with checkpoints in
 *     {@code .staging/checkpoints}, so that a run after a crash resumes there;</li>
 * <li>evaluate challenger and champion on the test split of the current corpus and publish the
 *     challenger as the next version: {@link Status#PROMOTED} (now champion) or
 *     {@link Status#REJECTED} (kept, the champion stays); a diverged training is published as a
 *     {@link Status#FAILED} version with only its lineage;</li>
 * <li>apply retention, clear the staging area, write {@code <model>/result.json}, release the lease.</li>
 * </ol>
 * Spark starts only when there is something to train. Training output goes to the console stream.
 */
public final class RetrainJob {
    /** The outcome, as {@code status} in result.json. */
    public enum Status {
        PROMOTED, REJECTED, UNCHANGED, FAILED, LEASE_HELD;

        public String label() {
            return EnumNames.label(this);
        }
    }

    /**
     * @param result the machine-readable result (result.json); {@code status} holds {@link Status#label}
     * @param line   the one-line summary for people and logs
     */
    public record RetrainResult(Status status, Map<String, Object> result, String line) {}

    private final JobSpec spec;
    private final PrintStream console;
    private final boolean force;

    /** @param force train even when the corpus is unchanged since the champion */
    public RetrainJob(JobSpec spec, PrintStream console, boolean force) {
        if (spec.task().synthetic())
            throw new UserInputException(spec.origin() + ": job.task = " + spec.task().label() + " generates its data, so no corpus grows and there is nothing to retrain;"
                    + " retrain works with the corpus tasks classify, lm and tag");
        if (!spec.registry().configured())
            throw new UserInputException(spec.origin() + ": registry.dir is not set; retrain keeps its versions in a"
                    + " registry: set registry.dir in the job file or pass --set registry.dir=hdfs:///models (or a local path)");
        this.spec = spec;
        this.console = console;
        this.force = force;
    }

    /** Starts Spark (only if there is something to train) and stops it again. */
    public RetrainResult run(String masterOverride) {
        JavaSparkContext[] started = new JavaSparkContext[1];
        try {
            return run(new Configuration(), () -> started[0] = SparkContexts.start(spec, masterOverride),
                    () -> MetastoreTable.files(spec.corpus(), SparkContexts.conf(spec, masterOverride)));
        } finally {
            if (started[0] != null) started[0].stop();
        }
    }

    /** Uses a running Spark context. */
    public RetrainResult run(JavaSparkContext sc) {
        return run(sc.hadoopConfiguration(), () -> sc,
                () -> MetastoreTable.files(spec.corpus(), SparkSession.builder().sparkContext(sc.sc()).getOrCreate()));
    }

    /** @param metastoreTable lists a metastore table's files ({@code corpus.source = table}) */
    private RetrainResult run(Configuration hadoop, Supplier<JavaSparkContext> spark, Supplier<TableFiles> metastoreTable) {
        Instant started = Instant.now();
        Registry registry = Registry.open(spec.registry().dir(), spec.registry().model(), hadoop);
        Lease lease;
        Duration term = Duration.ofSeconds(spec.registry().leaseSeconds());
        try {
            lease = registry.lease(term, "retrain");
        } catch (LeaseHeldException e) {
            Map<String, Object> result = result(Status.LEASE_HELD, registry, started);
            result.put("holder", e.holder());
            result.put("reason", e.getMessage());
            return new RetrainResult(Status.LEASE_HELD, result, "retrain " + spec.registry().model() + ": "
                    + "lease held by " + e.holder().describe() + "; nothing done");
        }
        try (lease) {
            // Renewed well within its term, the lease outlasts any training; a crashed holder's lapses.
            lease.keepAlive();
            Optional<String> champion = registry.champion();
            Lineage championLineage = champion.map(registry::lineage).orElse(null);
            CorpusFingerprint corpus = spec.corpus().source().metastore() ? CorpusFingerprint.of(metastoreTable.get())
                    : CorpusFingerprint.of(spec.corpus(), hadoop, championLineage == null ? null : championLineage.corpus());
            RetrainResult outcome;
            if (!force && corpus.sameCorpusAs(championLineage == null ? null : championLineage.corpus())) {
                Map<String, Object> result = result(Status.UNCHANGED, registry, started);
                result.put("champion", champion.get());
                result.put("corpus", corpusSummary(corpus));
                outcome = new RetrainResult(Status.UNCHANGED, result, "retrain " + spec.registry().model()
                        + ": unchanged; corpus " + shortDigest(corpus) + " is the one champion " + champion.get()
                        + " was trained on; nothing to do");
            } else {
                outcome = train(spark.get(), hadoop, registry, lease, champion.orElse(null), corpus, started);
            }
            outcome.result().put("finishedAt", Instant.now().toString());
            registry.writeResult(outcome.result());
            return outcome;
        }
    }

    private RetrainResult train(JavaSparkContext sc, Configuration hadoop, Registry registry, Lease lease,
                                String champion, CorpusFingerprint corpus, Instant started) {
        Path staging = registry.stagingDir();
        Path runs = new Path(staging, "runs");
        // Under the lease, a run directory in the staging area belongs to a process that died: never a version.
        deleteRecursively(runs, hadoop);
        SavedRun parent = champion == null ? null : SavedRun.read(registry.versionDir(champion).toString(), hadoop);
        RunDirectory dir = RunDirectory.create(runs.toString(), spec.name(), hadoop);
        TrainOptions options = new TrainOptions(parent, new Path(staging, "checkpoints").toString(), null);
        TrainJob.TrainResult trained;
        try {
            trained = new TrainJob(spec, console, false).run(TrainRequest.in(sc, dir).with(options));
        } catch (RuntimeException e) {
            TrainingDivergedException diverged = divergence(e);
            if (diverged == null) throw e;
            lease.requireHeld();
            return failed(registry, champion, corpus, started, diverged);
        }

        SavedRun challenger = SavedRun.read(trained.runDirectory(), hadoop);
        Map<String, Object> challengerHeldOut = heldOut(sc, challenger);
        Map<String, Object> championHeldOut = parent == null ? null : heldOut(sc, parent);
        MetricComparison comparison = MetricComparison.of(CorpusTask.of(spec.task()), challengerHeldOut, championHeldOut,
                spec.registry().tolerance());
        Outcome outcome = comparison.promotes() ? Outcome.PROMOTED : Outcome.REJECTED;
        Map<String, Object> training = training(trained);
        // Training may outlast the lease; then another process may have taken it over, and only one may publish.
        lease.requireHeld();
        String version = registry.publish(new Path(trained.runDirectory()), lineage(champion, outcome,
                comparison.reason(), challenger.provenance().runId(), training, comparison, challengerHeldOut, corpus));
        if (outcome == Outcome.PROMOTED) registry.promote(version, "retrain: " + comparison.reason());
        finish(registry);

        Status status = outcome == Outcome.PROMOTED ? Status.PROMOTED : Status.REJECTED;
        Map<String, Object> result = result(status, registry, started);
        result.put("version", version);
        result.put("champion", registry.champion().orElse(null));
        result.put("previousChampion", champion);
        result.put("reason", comparison.reason());
        result.put("comparison", comparison);
        result.putAll(training);
        result.put("corpus", corpusSummary(corpus));
        String resumed = trained.resumedFromEpoch() > 0 ? " (resumed after epoch " + trained.resumedFromEpoch() + ")" : "";
        String line = "retrain " + spec.registry().model() + ": " + status.label() + " " + version + resumed + "; "
                + comparison.reason() + "; champion " + result.get("champion");
        return new RetrainResult(status, result, line);
    }

    private RetrainResult failed(Registry registry, String champion, CorpusFingerprint corpus, Instant started,
                                 TrainingDivergedException diverged) {
        String reason = "training diverged: " + diverged.getMessage();
        String version = registry.publish(null, lineage(champion, Outcome.FAILED, reason, null, Map.of(), null, null, corpus));
        // The checkpoints lead to the same divergence; the next retrain starts over.
        finish(registry);
        Map<String, Object> result = result(Status.FAILED, registry, started);
        result.put("version", version);
        result.put("champion", champion);
        result.put("reason", reason);
        result.put("corpus", corpusSummary(corpus));
        return new RetrainResult(Status.FAILED, result, "retrain " + spec.registry().model() + ": failed " + version
                + "; " + reason + "; champion " + (champion == null ? "none" : champion) + " stays");
    }

    private void finish(Registry registry) {
        registry.prune(spec.registry().keepVersions());
        registry.clearStaging();
    }

    private Lineage lineage(String parent, Outcome outcome, String reason, String runId, Map<String, Object> training,
                            MetricComparison comparison, Map<String, Object> heldOut, CorpusFingerprint corpus) {
        BuildInfo build = BuildInfo.current();
        return new Lineage(null, spec.registry().model(), parent, outcome, reason, null, build.recurVersion(),
                build.gitCommit(), runId, training, comparison, heldOut, corpus);
    }

    /** The held-out block of {@link EvaluateJob} on the test split of the current corpus. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> heldOut(JavaSparkContext sc, SavedRun run) {
        Map<String, Object> evaluated = new EvaluateJob(run).run(sc, spec.corpus().inputs(), Split.TEST);
        Map<String, Object> heldOut = new LinkedHashMap<>((Map<String, Object>) evaluated.get("heldOut"));
        // Per-class tables and confusion matrices stay in the version's metrics.json.
        heldOut.keySet().removeIf(k -> k.startsWith("per") || k.equals("confusionMatrix"));
        return heldOut;
    }

    private static Map<String, Object> training(TrainJob.TrainResult trained) {
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("resumed", trained.resumedFromEpoch() > 0);
        training.put("resumedFromEpoch", trained.resumedFromEpoch());
        training.put("warmStart", trained.warmStart());
        training.put("epochs", trained.metrics().training().epochs());
        return training;
    }

    private Map<String, Object> result(Status status, Registry registry, Instant started) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("status", status.label());
        result.put("model", spec.registry().model());
        result.put("registry", registry.modelDir().toString());
        result.put("startedAt", started.toString());
        return result;
    }

    private static Map<String, Object> corpusSummary(CorpusFingerprint corpus) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("digest", corpus.digest());
        summary.put("files", corpus.files().size());
        summary.put("bytes", corpus.files().stream().mapToLong(CorpusFingerprint.FileEntry::size).sum());
        return summary;
    }

    private static String shortDigest(CorpusFingerprint corpus) {
        return corpus.digest().substring(0, 12);
    }

    private static TrainingDivergedException divergence(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause())
            if (t instanceof TrainingDivergedException d) return d;
        return null;
    }

    private static void deleteRecursively(Path path, Configuration hadoop) {
        try {
            path.getFileSystem(hadoop).delete(path, true);
        } catch (IOException e) {
            throw new UncheckedIOException("deleting " + path + ": " + e.getMessage(), e);
        }
    }
}
