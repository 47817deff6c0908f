package io.recur.config;

import com.typesafe.config.Config;

/**
 * How the held-out metrics are put in context ({@code eval.*}).
 *
 * @param strongBaseline also fit the task's strong non-neural baseline on the training split and
 *                       score it on the test split (classify, lm, tag; the synthetic tasks have
 *                       analytic baselines only)
 */
public record EvalSpec(boolean strongBaseline) {
    /** Reads {@code eval.*} of a resolved job spec. */
    static EvalSpec from(Config root) {
        return new EvalSpec(new SpecReader(root).bool("eval.strong-baseline"));
    }
}
