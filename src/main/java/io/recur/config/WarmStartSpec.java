package io.recur.config;

import com.typesafe.config.Config;

import java.util.Objects;

/**
 * What a run may do when it is asked to continue from an earlier model ({@code warm-start.*}).
 * Read by every job, used only when a caller supplies a model to warm-start from.
 *
 * @param vocabPolicy    keep the model's vocabulary, count a new one, or decide by the OOV rate
 * @param maxOovRate     AUTO rebuilds (and trains from scratch) when the share of training tokens
 *                       unknown to the model's vocabulary is above this, in [0, 1]
 * @param allowNewLabels a label the model lacks trains from scratch with the union of labels
 *                       instead of failing
 */
public record WarmStartSpec(VocabPolicy vocabPolicy, double maxOovRate, boolean allowNewLabels) {
    public WarmStartSpec {
        Objects.requireNonNull(vocabPolicy, "vocabPolicy");
        if (!(maxOovRate >= 0 && maxOovRate <= 1)) {
            throw new IllegalArgumentException("maxOovRate must be in [0, 1], was " + maxOovRate);
        }
    }

    /** Reads {@code warm-start.*} of a resolved job spec. */
    static WarmStartSpec from(Config root) {
        SpecReader r = new SpecReader(root);
        return new WarmStartSpec(
                r.oneOf("warm-start.vocab-policy", VocabPolicy.class),
                r.decimal("warm-start.max-oov-rate", x -> x >= 0 && x <= 1, "a number in [0, 1]"),
                r.bool("warm-start.allow-new-labels"));
    }
}
