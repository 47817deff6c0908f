package io.recur.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.recur.storage.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * {@code metrics.json}: what a training run measured, the file's one writer and reader. The
 * documentation of each key is {@code docs/run-directory.md}; a test holds it to these fields.
 *
 * @param job              the job's name ({@code job.name})
 * @param runId            the run directory's id
 * @param task             the task's spec name ({@code job.task})
 * @param cell             the cell's spec name ({@code model.cell})
 * @param heldOut          test-split metrics of the model, keyed by {@code io.recur.eval.Metric} keys
 *                         (which ones depends on the task), plus counts and per-class tables
 * @param baseline         the same metrics for the task's trivial predictor, and its {@code name}
 * @param strongBaseline   the same metrics for the task's strong baseline, and its {@code name}; absent when
 *                         {@code eval.strong-baseline} did not run one (and in runs from before it)
 * @param training         how the fitting went
 * @param vocabSize        vocabulary ids, the reserved ones included
 * @param corpus           what was read (corpus tasks); null for a generated task
 * @param synthetic        what was generated (synthetic tasks); null for a corpus task
 * @param resumedFromEpoch the checkpoint's epoch the run continued after; 0: started at epoch 1
 * @param warmStart        how the run started from an earlier one; null in a run from before warm starts
 */
@JsonPropertyOrder({"job", "runId", "task", "cell", "heldOut", "baseline", "strongBaseline", "training", "vocabSize", "corpus", "synthetic",
        "resumedFromEpoch", "warmStart"})
public record RunMetrics(String job, String runId, String task, String cell, Map<String, Object> heldOut,
                         Map<String, Object> baseline,
                         @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> strongBaseline,
                         TrainingSummary training, int vocabSize,
                         @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> corpus,
                         @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> synthetic,
                         int resumedFromEpoch, WarmStartRecord warmStart) {
    public static final String FILE = "metrics.json";

    public void write(OutputStream out) throws IOException {
        Json.write(out, this);
    }

    /** A {@code metrics.json}, of this recur or an earlier one (keys it lacks read as null or 0). */
    public static RunMetrics read(InputStream in) throws IOException {
        RunMetrics metrics = Json.read(in, RunMetrics.class);
        if (metrics == null || metrics.heldOut() == null)
            throw new IOException("not a recur " + FILE + ": it has no heldOut metrics");
        return metrics;
    }

    /** The record as the nested maps its file holds, for readers that walk it by key (the reports). */
    public Map<String, Object> asMap() {
        return Json.convert(this, new com.fasterxml.jackson.core.type.TypeReference<>() {});
    }
}
