package io.recur.model;

import io.recur.config.Task;

/**
 * The data-dependent sizes of a network: what it reads and what it predicts.
 *
 * @param inputSize  vocabulary size (ids fed to the embedding, or one-hot width)
 * @param outputSize number of classes (classify), vocabulary size (lm) or number of tags (tag)
 */
public record NetworkShape(Task task, int inputSize, int outputSize) {
    public NetworkShape {
        if (inputSize < 1 || outputSize < 1)
            throw new IllegalArgumentException("sizes must be positive: input " + inputSize + ", output " + outputSize);
    }
}
