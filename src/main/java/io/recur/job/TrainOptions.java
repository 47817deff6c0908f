package io.recur.job;

/**
 * How a training run starts: from scratch, resumed, or warm-started from an earlier run.
 *
 * @param warmStart     the run to continue from (its parameters, updater state, vocabulary and
 *                      labels, as {@code warm-start.*} allows); null trains from scratch
 * @param checkpointDir where a checkpoint is written after every epoch and from which a run with the
 *                      same spec, data and warm-start parent resumes (a Hadoop URI or path); null
 *                      writes none. The directory belongs to the caller: training never deletes it.
 */
public record TrainOptions(SavedRun warmStart, String checkpointDir) {
    /** No warm start, no checkpoints: what {@code TrainJob.run} without options does. */
    public static TrainOptions fresh() {
        return new TrainOptions(null, null);
    }
}
