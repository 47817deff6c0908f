package io.recur.job;

import io.recur.data.PreparedData;
import io.recur.run.SavedRun;

/**
 * How a training run starts: from scratch, resumed, warm-started from an earlier run, or on data
 * prepared before.
 *
 * @param warmStart     the run to continue from (its parameters, updater state, vocabulary and
 *                      labels, as {@code warm-start.*} allows); null trains from scratch
 * @param checkpointDir where a checkpoint is written after every epoch and from which a run with the
 *                      same spec, data and warm-start parent resumes (a Hadoop URI or path); null
 *                      writes none. The directory belongs to the caller: training never deletes it.
 * @param prepared      minibatches prepared before ({@link PreparedData#prepare}) for the same
 *                      warm-start parent, left persisted for the next run; null: the run prepares
 *                      its own and unpersists them when it ends
 */
public record TrainOptions(SavedRun warmStart, String checkpointDir, PreparedData prepared) {
    public TrainOptions {
        if (prepared != null && prepared.parent() != warmStart)
            throw new IllegalArgumentException("the prepared data was encoded for "
                    + (prepared.parent() == null ? "runs from scratch" : "a warm start from run "
                    + prepared.parent().provenance().runId()) + ", not for "
                    + (warmStart == null ? "a run from scratch" : "a warm start from run " + warmStart.provenance().runId()));
    }

    /** No warm start, no checkpoints, the data prepared by the run itself. */
    public static TrainOptions fresh() {
        return new TrainOptions(null, null, null);
    }

    /** On data prepared before, with the warm start it was prepared for. */
    public static TrainOptions on(PreparedData prepared) {
        return new TrainOptions(prepared.parent(), null, prepared);
    }
}
