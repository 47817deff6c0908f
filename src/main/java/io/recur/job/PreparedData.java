package io.recur.job;

import io.recur.config.CorpusSpec;
import io.recur.config.JobSpec;
import io.recur.config.SplitSpec;
import io.recur.config.SyntheticSpec;
import io.recur.config.Task;
import io.recur.config.VocabSpec;
import io.recur.model.NetworkShape;

/**
 * A job's persisted minibatches, vocabulary and splits ({@link TrainJob#prepare}), which several
 * runs can share: a bake-off trains every cell on the same prepared data. It fits every spec that
 * reads and encodes the data the same way, whatever its network; {@link #close} unpersists it.
 */
public final class PreparedData implements AutoCloseable {
    private final DataSettings settings;
    private final TrainingData data;

    PreparedData(JobSpec spec, TrainingData data) {
        this.settings = DataSettings.of(spec);
        this.data = data;
    }

    /**
     * Whether a run of {@code spec} may train on this data: the task, seed, corpus, split,
     * vocabulary, generated-data sizes, batching, storage, workers and input encoding are the
     * same; the cell, hidden size, layers, updater and epochs may differ.
     */
    public boolean fits(JobSpec spec) {
        return settings.equals(DataSettings.of(spec));
    }

    /** What the network reads and predicts, known once the vocabulary and labels are. */
    public NetworkShape shape() {
        return data.shape();
    }

    TrainingData data() {
        return data;
    }

    @Override
    public void close() {
        data.unpersist();
    }

    /** The spec's keys that change the minibatches or the vocabulary. */
    private record DataSettings(Task task, long seed, CorpusSpec corpus, SplitSpec split, VocabSpec vocab,
                                SyntheticSpec synthetic,
                                int batchSize, boolean lengthBucketing, String storageLevel, int workers,
                                int partitionsPerWorker, boolean oneHot) {
        static DataSettings of(JobSpec s) {
            var t = s.train();
            return new DataSettings(s.task(), s.seed(), s.corpus(), s.split(), s.vocab(), s.synthetic(),
                    t.batchSize(), t.lengthBucketing(), t.storageLevel(), t.workers(), t.partitionsPerWorker(),
                    s.model().embeddingSize() == 0);
        }
    }
}
