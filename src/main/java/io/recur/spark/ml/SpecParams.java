package io.recur.spark.ml;

import io.recur.config.JobSpec;
import io.recur.config.JobSpecLoader;
import io.recur.config.SpecException;
import io.recur.config.SpecKey;
import io.recur.config.Task;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The job spec keys an estimator takes as parameters, generated from {@code recur-reference.conf}
 * ({@link JobSpecLoader#declarations}) so that a new key is a parameter without a line here, and
 * the spec an estimator's settings make. Left out are the keys the stage itself decides (the task,
 * and the corpus's container, layout and columns, which come from the DataFrame and the column
 * parameters), those of text files only, and those of other commands (bake-offs, warm starts, the
 * registry, how the CLI starts Spark, the generated tasks).
 */
final class SpecParams {
    private static final Set<String> SECTIONS = Set.of("job", "corpus", "split", "vocab", "model", "train", "eval", "output");
    private static final Set<String> DECIDED_BY_THE_STAGE = Set.of("job.task", "corpus.path", "corpus.format",
            "corpus.source", "corpus.where", "corpus.join-lines", "corpus.field-separator", "corpus.text-field",
            "corpus.max-line-bytes");
    private static final List<String> DECIDED_BY_THE_STAGE_SECTIONS = List.of("corpus.columns.", "corpus.csv.");

    private SpecParams() {}

    /** The declarations of the keys an estimator of {@code task} takes, sorted by key. */
    static List<SpecKey> keys(Task task) {
        return JobSpecLoader.declarations().stream().filter(k -> takes(task, k.key())).toList();
    }

    private static boolean takes(Task task, String key) {
        if (!SECTIONS.contains(key.substring(0, key.indexOf('.')))) return false;
        if (DECIDED_BY_THE_STAGE.contains(key) || DECIDED_BY_THE_STAGE_SECTIONS.stream().anyMatch(key::startsWith)) return false;
        return task == Task.TAG || !key.equals("corpus.tag-simplify");
    }

    /**
     * The spec of {@code settings} (the parameters set) on top of {@code stage} (the task, corpus
     * format and columns), validated as a job file is.
     *
     * @param origin names the stage in messages
     * @throws IllegalArgumentException with the spec's message, naming the key, if the spec is invalid
     */
    static JobSpec spec(Map<String, Object> stage, Map<String, Object> settings, String origin) {
        Map<String, Object> all = new LinkedHashMap<>(settings);
        all.putAll(stage);
        try {
            return JobSpecLoader.fromSettings(all, origin);
        } catch (SpecException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
