package io.recur.config;

/** Vocabulary size limits; tokens are counted on the training split only. */
public record VocabSpec(int minCount, int maxSize) {}
