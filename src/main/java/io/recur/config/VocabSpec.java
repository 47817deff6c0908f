package io.recur.config;

import com.typesafe.config.Config;

/**
 * Vocabulary size limits; tokens are counted on the training split only.
 *
 * @param minCount rarer tokens map to the unknown token
 * @param maxSize  most tokens kept, not counting the reserved ones (padding, unknown, ...)
 */
public record VocabSpec(int minCount, int maxSize) {
    public VocabSpec {
        if (minCount < 1) {
            throw new IllegalArgumentException("minCount must be >= 1, was " + minCount);
        }
        if (maxSize < 1) {
            throw new IllegalArgumentException("maxSize must be >= 1, was " + maxSize);
        }
    }

    /** Reads {@code vocab.*} of a resolved job spec. */
    static VocabSpec from(Config root) {
        SpecReader r = new SpecReader(root);
        return new VocabSpec(
                r.wholeInt("vocab.min-count", 1, Integer.MAX_VALUE),
                r.wholeInt("vocab.max-size", 1, Integer.MAX_VALUE));
    }
}
