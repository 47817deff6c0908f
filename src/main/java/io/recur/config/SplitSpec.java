package io.recur.config;

import com.typesafe.config.Config;

/**
 * Fractions of the train / validation / test split; they sum to 1 (within {@link #SUM_TOLERANCE}).
 * A job spec needs every fraction positive (training needs validation and test data); the record
 * itself also allows 0 for validation and test so that a whole corpus can be read as one split,
 * as {@code evaluate --split all} and tests do.
 *
 * @param trainSubset the share of the training split that training keeps, in (0, 1]; chosen by a
 *                    hash of each example, so a smaller subset lies inside a larger one, while
 *                    validation and test stay whole (see {@code io.recur.corpus.StableSplit})
 */
public record SplitSpec(double trainFraction, double validationFraction, double testFraction, double trainSubset) {
    static final double SUM_TOLERANCE = 1e-6;

    /** The whole training split. */
    public SplitSpec(double trainFraction, double validationFraction, double testFraction) {
        this(trainFraction, validationFraction, testFraction, 1.0);
    }

    public SplitSpec {
        if (!(trainSubset > 0 && trainSubset <= 1)) {
            throw new IllegalArgumentException("trainSubset must be in (0, 1], was " + trainSubset);
        }
        if (!(trainFraction > 0 && trainFraction <= 1 && validationFraction >= 0 && validationFraction <= 1
                && testFraction >= 0 && testFraction <= 1)) {
            throw new IllegalArgumentException("fractions must be in [0, 1] (train above 0), were " + trainFraction
                    + ", " + validationFraction + ", " + testFraction);
        }
        if (Math.abs(trainFraction + validationFraction + testFraction - 1) > SUM_TOLERANCE) {
            throw new IllegalArgumentException("fractions must sum to 1, were " + trainFraction + " + "
                    + validationFraction + " + " + testFraction);
        }
    }

    /** Reads {@code split.*} of a resolved job spec. */
    static SplitSpec from(Config root) {
        SpecReader r = new SpecReader(root);
        String allowed = "a fraction in (0, 1]";
        double train = r.decimal("split.train", f -> f > 0 && f <= 1, allowed);
        double validation = r.decimal("split.validation", f -> f > 0 && f <= 1, allowed);
        double test = r.decimal("split.test", f -> f > 0 && f <= 1, allowed);
        double sum = train + validation + test;
        if (Math.abs(sum - 1) > SUM_TOLERANCE) {
            throw new SpecException(r.where("split.train") + ": split.train + split.validation + split.test = "
                    + train + " + " + validation + " + " + test + " = " + Math.round(sum * 1e6) / 1e6
                    + ", but the fractions must sum to 1 (split.validation at " + r.where("split.validation")
                    + ", split.test at " + r.where("split.test") + ")");
        }
        double subset = r.decimal("split.train-subset", f -> f > 0 && f <= 1, allowed);
        return new SplitSpec(train, validation, test, subset);
    }
}
