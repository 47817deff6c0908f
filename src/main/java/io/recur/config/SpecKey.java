package io.recur.config;

/**
 * One key of the job spec as {@code recur-reference.conf} declares it: the file is the one
 * declaration of every key, its default and its documentation; the checks are the spec records'
 * ({@link JobSpecLoader#fromSettings} applies them). Other front ends (the Spark ML parameters of
 * {@code io.recur.spark.ml}) are generated from these rather than declared again.
 *
 * @param key          the full key, e.g. {@code model.hidden-size}
 * @param defaultValue the resolved default as the config library unwraps it: a {@link Number},
 *                     {@link Boolean}, {@link String}, {@link java.util.List} or {@link java.util.Map};
 *                     null where the key has no default ({@code corpus.path})
 * @param doc          the comment above the key, its lines joined by spaces
 */
public record SpecKey(String key, Object defaultValue, String doc) {}
