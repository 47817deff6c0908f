package io.recur.run;

/**
 * How a run started from an earlier one: {@code warmStart} in {@code metrics.json}, and in the
 * registry's {@code lineage.json} and {@code result.json}.
 *
 * @param used        trained on from the earlier run's parameters; false: from scratch
 * @param parentRunId the run given to warm-start from, or null when none was
 * @param oovRate     share of training tokens the earlier vocabulary maps to {@code <unk>}; null without an earlier run
 * @param decision    one sentence for people
 */
public record WarmStartRecord(boolean used, String parentRunId, Double oovRate, String decision) {
    /** @param oovRate NaN when there was no earlier run, written as null */
    public static WarmStartRecord of(boolean used, String parentRunId, double oovRate, String decision) {
        return new WarmStartRecord(used, parentRunId, Double.isNaN(oovRate) ? null : oovRate, decision);
    }
}
