package io.recur.report;

import io.recur.config.JobSpec;
import io.recur.provenance.ModelProvenance;
import io.recur.train.EpochRecord;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a run report shows, as the training job has it when the run is written.
 *
 * @param metrics the map written as {@code metrics.json} (nested maps, lists, strings, numbers);
 *                read back from the file it works as well
 * @param epochs  the training log, one record per epoch
 * @param samples generated texts for a language model; empty for a classifier
 */
public record ReportContent(JobSpec spec, ModelProvenance provenance, Map<String, Object> metrics,
                            List<EpochRecord> epochs, List<TextSample> samples) {
    public ReportContent {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(provenance, "provenance");
        Objects.requireNonNull(metrics, "metrics");
        epochs = List.copyOf(epochs);
        samples = List.copyOf(samples);
    }
}
