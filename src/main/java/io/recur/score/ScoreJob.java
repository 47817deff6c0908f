package io.recur.score;

import io.recur.config.UserInputException;
import io.recur.corpus.TaskErrors;
import io.recur.run.SavedRun;
import io.recur.task.CorpusTask;
import io.recur.task.Prediction;
import io.recur.task.TaskKind;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Scores every row of a source with a saved run on the executors and publishes the answers as a
 * table: the predictions at the output, the rows that could not be scored with their reasons in
 * its {@code _rejects} subdirectory (Spark's readers skip names starting with {@code _}), both in
 * one format, published together by one rename ({@link AtomicOutput}).
 */
public final class ScoreJob {
    /** {@code --top-k} of a classifier when not given: the best label only. */
    static final int DEFAULT_TOP_K = 1;
    /** Where the rejects go, inside the output. */
    public static final String REJECTS = "_rejects";
    /** Rows per network call: enough to amortise the call, few enough that padding to the longest stays small. */
    static final int BATCH_ROWS = 32;

    private final SavedRun run;
    private final String runDir;
    private final int topK;

    /**
     * @param runDir where the run was read from, for messages and the report
     * @param topK   labels a classifier lists in {@code topK}; null for the default
     */
    public ScoreJob(SavedRun run, String runDir, Integer topK) {
        if (!(TaskKind.of(run.spec().task()) instanceof CorpusTask task))
            throw new UserInputException("--model " + runDir + ": trained on the generated job.task = "
                    + run.spec().task().label() + ", which has no text to score");
        if (topK != null && task.prediction() != Prediction.LABELS)
            throw new UserInputException("--top-k " + topK + ": only a classifier lists its top labels; a "
                    + (task.prediction() == Prediction.NEXT_TOKENS ? "language model's score is each row's cross entropy"
                    : "tagger gives one tag per token")
                    + "; leave --top-k out");
        if (topK != null && topK < 1) throw new UserInputException("--top-k " + topK + ": list at least 1 label");
        this.run = run;
        this.runDir = runDir;
        this.topK = topK == null ? DEFAULT_TOP_K : topK;
    }

    /**
     * Refuses an output that {@link #run} would refuse, so that the command fails before it starts
     * Spark; {@link #run} checks again, since the output may appear in between.
     */
    public static void checkOutput(String output, boolean overwrite, Configuration hadoop) {
        AtomicOutput.at(output, overwrite, hadoop);
    }

    /** Discards the outputs of the scoring in progress, for a signal; returns where they were staged. */
    public static List<String> discardAllUnpublished() {
        return AtomicOutput.discardAllUnpublished();
    }

    /**
     * @param output    the directory to create, on any Hadoop file system
     * @param overwrite whether an existing {@code output} may be replaced
     */
    public ScoreReport run(JavaSparkContext sc, ScoreSource source, String output, OutputFormat format, boolean overwrite)
            throws IOException {
        // The driver's checks of the input (a missing file, column or table) come before anything is staged.
        JavaRDD<ScoreRow> rows = source.rows(sc);
        AtomicOutput out = AtomicOutput.at(output, overwrite, sc.hadoopConfiguration()).open();
        Prediction kind = CorpusTask.of(run.spec().task()).prediction();
        Broadcast<ShippedModel> model = sc.broadcast(ShippedModel.of(run, runDir));
        int k = topK;
        JavaRDD<Scorer.Scored> scored = rows.mapPartitions(partition -> {
            // One network per task: a network is not safe to share between the threads of an executor.
            Scorer scorer = new Scorer(model.value().restore(), k);
            return map(partition, scorer);
        }).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            SparkSession spark = SparkSession.builder().getOrCreate();
            format.write(spark.createDataFrame(scored.filter(s -> s.prediction() != null).map(Scorer.Scored::prediction),
                    Scorer.schema(kind)), out.staging());
            JavaRDD<Row> rejects = scored.filter(s -> s.rejection() != null)
                    .map(s -> RowFactory.create(s.key(), s.rejection()));
            format.write(spark.createDataFrame(rejects, Scorer.rejectSchema()), out.staging() + "/" + REJECTS);
            Map<String, Long> rejectedBy = new TreeMap<>(scored.filter(s -> s.rejection() != null)
                    .map(Scorer.Scored::rejection).countByValue());
            long total = scored.count();
            long rejected = rejectedBy.values().stream().mapToLong(Long::longValue).sum();
            out.publish();
            return new ScoreReport(runDir, source.describe(), out.target(), format.sparkName(), total,
                    total - rejected, rejected, rejectedBy);
        } catch (Exception e) {
            // Spark throws its (checked) SparkException undeclared; a file found to be no text by a task is the user's error.
            Optional<UserInputException> user = TaskErrors.userError(e);
            if (user.isPresent() && user.get() != e) throw new UserInputException(user.get().getMessage(), e);
            throw e;
        } finally {
            out.discard();
            scored.unpersist(false);
            model.destroy();
        }
    }

    /** The partition's rows scored {@link #BATCH_ROWS} at a time, lazily, so a partition never sits in memory whole. */
    static Iterator<Scorer.Scored> map(Iterator<ScoreRow> rows, Scorer scorer) {
        return new Iterator<>() {
            private Iterator<Scorer.Scored> batch = java.util.Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                return batch.hasNext() || rows.hasNext();
            }

            @Override
            public Scorer.Scored next() {
                if (!batch.hasNext()) {
                    List<ScoreRow> next = new java.util.ArrayList<>(BATCH_ROWS);
                    while (rows.hasNext() && next.size() < BATCH_ROWS) next.add(rows.next());
                    batch = scorer.score(next).iterator();
                }
                return batch.next();
            }
        };
    }
}
