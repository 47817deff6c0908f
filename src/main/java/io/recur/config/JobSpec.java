package io.recur.config;

/**
 * A fully resolved job spec.
 *
 * @param resolvedText the resolved HOCON, written next to every model for provenance
 * @param origin       where the spec came from (file path), for messages
 */
public record JobSpec(String name, Task task, long seed, CorpusSpec corpus, SplitSpec split,
                      VocabSpec vocab, ModelSpec model, TrainSpec train, OutputSpec output,
                      SparkSpec spark, String resolvedText, String origin) {}
