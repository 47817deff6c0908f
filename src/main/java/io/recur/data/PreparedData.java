package io.recur.data;

import io.recur.config.CorpusSpec;
import io.recur.config.JobSpec;
import io.recur.config.SplitSpec;
import io.recur.config.SyntheticSpec;
import io.recur.config.Task;
import io.recur.config.TrainingApproach;
import io.recur.config.UserInputException;
import io.recur.config.VocabSpec;
import io.recur.config.WarmStartSpec;
import io.recur.corpus.Corpus;
import io.recur.corpus.CorpusReader;
import io.recur.corpus.Split;
import io.recur.model.NetworkShape;
import io.recur.run.SavedRun;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.PrintStream;
import java.net.URI;

/**
 * A job's persisted minibatches, vocabulary and splits, read from the corpus or generated, and
 * the warm-start decision they were encoded under. Several runs can share one: a bake-off trains
 * every cell on the same prepared data. It fits every spec that reads and encodes the data the
 * same way, whatever its network; {@link #close} unpersists it.
 */
public final class PreparedData implements AutoCloseable {
    private final DataSettings settings;
    private final int workers;
    private final TrainingData data;
    private final SavedRun parent;
    private final WarmStart warmStart;

    private PreparedData(JobSpec spec, int workers, TrainingData data, SavedRun parent, WarmStart warmStart) {
        this.settings = DataSettings.of(spec);
        this.workers = workers;
        this.data = data;
        this.parent = parent;
        this.warmStart = warmStart;
    }

    /**
     * Reads (or generates) the job's data and encodes it into minibatches balanced over the
     * training workers, persisted until {@link #close}; says on {@code console} what was read.
     *
     * @param parent the run a warm start continues from, whose vocabulary and labels encode the data
     *               when {@code warm-start.*} keeps them; null prepares for a run from scratch
     */
    public static PreparedData prepare(JavaSparkContext sc, JobSpec spec, SavedRun parent, PrintStream console) {
        requireSharedFileSystemForExport(sc, spec);
        int workers = spec.train().workers() > 0 ? spec.train().workers() : sc.defaultParallelism();
        int partitions = workers * spec.train().partitionsPerWorker();
        if (spec.task().synthetic()) {
            WarmStart warm = WarmStart.planGenerated(spec, parent);
            return new PreparedData(spec, workers, SyntheticData.generate(sc, spec, partitions, console), parent, warm);
        }
        Corpus corpus = CorpusReader.read(sc, spec.corpus(), spec.split());
        WarmStart warm = WarmStart.plan(spec, parent, corpus.split(Split.TRAIN));
        return new PreparedData(spec, workers,
                CorpusData.encode(sc, spec, corpus, warm.vocab(), warm.labels(), partitions, console), parent, warm);
    }

    /**
     * DL4J refuses the export approach on a cluster whose default file system is local, but only
     * once training starts and as an internal error; this says so before the corpus is read.
     */
    private static void requireSharedFileSystemForExport(JavaSparkContext sc, JobSpec spec) {
        if (spec.train().approach() != TrainingApproach.EXPORT || sc.isLocal()) return;
        URI defaultFs = FileSystem.getDefaultUri(sc.hadoopConfiguration());
        if (!"file".equals(defaultFs.getScheme())) return;
        throw new UserInputException("train.approach = export: Spark runs on " + sc.master()
                + " but the default file system is " + defaultFs + ", which executors do not share; set "
                + "fs.defaultFS to a shared one (HADOOP_CONF_DIR, or spark-submit --conf "
                + "spark.hadoop.fs.defaultFS=hdfs://NAMENODE:PORT) or use train.approach = direct");
    }

    /**
     * Whether a run of {@code spec} may train on this data: the task, seed, corpus, split,
     * vocabulary, generated-data sizes, warm-start settings, batching, storage, workers and input encoding are the
     * same; the cell, hidden size, layers, updater and epochs may differ.
     */
    public boolean fits(JobSpec spec) {
        return settings.equals(DataSettings.of(spec));
    }

    /** What the network reads and predicts, known once the vocabulary and labels are. */
    public NetworkShape shape() {
        return data.shape();
    }

    /** The run it was prepared to warm-start from; null: prepared for runs from scratch. */
    public SavedRun parent() {
        return parent;
    }

    /** How many training workers the minibatches are balanced over. */
    public int workers() {
        return workers;
    }

    public TrainingData data() {
        return data;
    }

    public WarmStart warmStart() {
        return warmStart;
    }

    @Override
    public void close() {
        data.unpersist();
    }

    /** The spec's keys that change the minibatches or the vocabulary. */
    private record DataSettings(Task task, long seed, CorpusSpec corpus, SplitSpec split, VocabSpec vocab,
                                SyntheticSpec synthetic, WarmStartSpec warmStart,
                                int batchSize, boolean lengthBucketing, String storageLevel, int workers,
                                int partitionsPerWorker, boolean oneHot) {
        static DataSettings of(JobSpec s) {
            var t = s.train();
            return new DataSettings(s.task(), s.seed(), s.corpus(), s.split(), s.vocab(), s.synthetic(), s.warmStart(),
                    t.batchSize(), t.lengthBucketing(), t.storageLevel(), t.workers(), t.partitionsPerWorker(),
                    s.model().embeddingSize() == 0);
        }
    }
}
