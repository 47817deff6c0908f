package io.recur.job;

import io.recur.config.UserInputException;

/**
 * How to sample text from a language model.
 *
 * @param maxTokens   tokens to generate at most; generation stops earlier at {@code <eos>}
 * @param temperature divides the log-probabilities before sampling: below 1 sharpens the
 *                    distribution, above 1 flattens it; 0 always takes the most likely token
 * @param topK        sample only among the K most likely tokens; 0 means all, 1 is greedy
 * @param seed        seeds the generator's own {@link java.util.Random}: the same seed, model and
 *                    prompt give the same text
 */
public record SamplingSpec(int maxTokens, double temperature, int topK, long seed) {
    /** Upper bound on {@code maxTokens}: generation is one network step per token on one thread. */
    public static final int MAX_TOKENS = 100_000;

    public SamplingSpec {
        if (maxTokens < 1 || maxTokens > MAX_TOKENS)
            throw new UserInputException("--length: must be in 1.." + MAX_TOKENS + ", was " + maxTokens);
        if (!(temperature >= 0) || Double.isInfinite(temperature))
            throw new UserInputException("--temperature: must be a finite number >= 0 (0 = greedy, 1 = the model's "
                    + "own distribution), was " + temperature);
        if (topK < 0)
            throw new UserInputException("--top-k: must be >= 0 (0 = no limit, 1 = greedy), was " + topK);
    }

    /** Always the most likely token: temperature 0 or top-k 1. */
    public boolean greedy() {
        return temperature == 0 || topK == 1;
    }
}
