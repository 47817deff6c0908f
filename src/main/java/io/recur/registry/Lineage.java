package io.recur.registry;

import java.util.Map;

/**
 * Where a version came from and what became of it: {@code lineage.json} in the version directory.
 *
 * @param version      {@code v000001}, ...; null in a draft not yet published
 * @param parent       the champion when the version was trained (its warm start), or null
 * @param reason       the promotion decision or the failure, one sentence
 * @param createdAt    ISO-8601 instant of publishing
 * @param recurVersion with {@code gitCommit}, the code that trained it
 * @param runId        the run directory id the version's files came from; null if training failed
 * @param training     how training went: resumedFromEpoch, warm start decision, epochs
 * @param comparison   challenger against champion on the current held-out split; null if training failed
 * @param heldOut      the challenger's held-out metrics on that split; null if training failed
 */
public record Lineage(String version, String model, String parent, Outcome outcome, String reason,
                      String createdAt, String recurVersion, String gitCommit, String runId,
                      Map<String, Object> training, MetricComparison comparison, Map<String, Object> heldOut,
                      CorpusFingerprint corpus) {

    Lineage withVersion(String v, String at) {
        return new Lineage(v, model, parent, outcome, reason, at, recurVersion, gitCommit, runId, training,
                comparison, heldOut, corpus);
    }
}
