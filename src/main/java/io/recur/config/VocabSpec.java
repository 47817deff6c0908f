package io.recur.config;

import com.typesafe.config.Config;

/**
 * Vocabulary size limits; tokens are counted on the training split only.
 *
 * @param minCount rarer tokens map to the unknown token
 * @param maxSize  most tokens kept, not counting the reserved ones (padding, unknown, ...)
 * @param unknownWordClasses map a token outside the vocabulary to the class of its shape and suffix
 *                 (counted from the training tokens rarer than {@code minCount}) instead of the
 *                 one unknown token
 */
public record VocabSpec(int minCount, int maxSize, boolean unknownWordClasses) {
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
                r.wholeInt("vocab.max-size", 1, Integer.MAX_VALUE),
                r.bool("vocab.unknown-word-classes"));
    }
}
