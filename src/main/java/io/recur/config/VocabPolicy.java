package io.recur.config;

/**
 * Which vocabulary a warm-started run uses. FROZEN always keeps the warm-start model's vocabulary
 * (new tokens map to the unknown token); REBUILD always counts a new one and so trains from scratch;
 * AUTO keeps the old one unless the new training split's out-of-vocabulary rate passes
 * {@code warm-start.max-oov-rate}, and then rebuilds.
 */
public enum VocabPolicy { FROZEN, REBUILD, AUTO }
