package io.recur.config;

/**
 * How DL4J's parameter averaging moves minibatches to the workers. EXPORT writes them once to
 * the work directory (which must be on a file system every executor sees); DIRECT ships them
 * inside the Spark tasks.
 */
public enum TrainingApproach { DIRECT, EXPORT }
