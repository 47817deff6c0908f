package io.recur.data;

import io.recur.run.WarmStartRecord;

/**
 * Whether a run continued from the model it was given, and why.
 *
 * @param used     false: trained from scratch (no warm start asked for, or the vocabulary policy
 *                 or a new label made the job start over)
 * @param oovRate  share of training tokens the earlier vocabulary maps to {@code <unk>}; NaN when no
 *                 warm start was asked for
 * @param decision one sentence for people, e.g. "warm start from run X; OOV 1.2% <= 5%"
 */
public record WarmStartOutcome(boolean used, double oovRate, String decision) {
    /** As {@code metrics.json} records it, with the run given to warm-start from (null if none). */
    public WarmStartRecord record(String parentRunId) {
        return WarmStartRecord.of(used, parentRunId, oovRate, decision);
    }

    public static WarmStartOutcome none() {
        return new WarmStartOutcome(false, Double.NaN, "no warm start; trained from scratch");
    }
}
