package io.recur.config;

import com.typesafe.config.Config;

/**
 * The size of a generated data set ({@code synthetic.*}); read by the synthetic tasks only, whose
 * examples come from the job seed rather than from a corpus.
 *
 * @param steps              T: the sequence length of the adding problem, the blank gap of copy memory
 * @param trainExamples      examples generated for training (one pass is one epoch)
 * @param validationExamples examples generated for validation after each epoch
 * @param testExamples       examples generated for the held-out metrics
 */
public record SyntheticSpec(int steps, int trainExamples, int validationExamples, int testExamples) {
    static final int MAX_STEPS = 100_000;
    static final int MAX_EXAMPLES = 100_000_000;

    public SyntheticSpec {
        if (steps < 2 || steps > MAX_STEPS) {
            throw new IllegalArgumentException("steps must be in 2.." + MAX_STEPS + ", was " + steps);
        }
        if (trainExamples < 1 || validationExamples < 1 || testExamples < 1
                || trainExamples > MAX_EXAMPLES || validationExamples > MAX_EXAMPLES || testExamples > MAX_EXAMPLES) {
            throw new IllegalArgumentException("example counts must be in 1.." + MAX_EXAMPLES + ", were "
                    + trainExamples + ", " + validationExamples + ", " + testExamples);
        }
    }

    /** Reads {@code synthetic.*} of a resolved job spec. */
    static SyntheticSpec from(Config root) {
        SpecReader r = new SpecReader(root);
        return new SyntheticSpec(
                r.wholeInt("synthetic.steps", 2, MAX_STEPS),
                r.wholeInt("synthetic.train-examples", 1, MAX_EXAMPLES),
                r.wholeInt("synthetic.validation-examples", 1, MAX_EXAMPLES),
                r.wholeInt("synthetic.test-examples", 1, MAX_EXAMPLES));
    }
}
