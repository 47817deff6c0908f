package io.recur.model;

/**
 * The data-dependent sizes of a network: what it reads and what it predicts.
 *
 * @param head       the task's output layer
 * @param inputSize  vocabulary size (ids fed to the embedding, or one-hot width); input channels of a
 *                   synthetic task
 * @param outputSize number of classes (classify), vocabulary size (lm), number of tags (tag), 1
 *                   (sequence-regression, sequence-product) or number of symbols (sequence-copy)
 */
public record NetworkShape(OutputHead head, int inputSize, int outputSize) {
    public NetworkShape {
        if (inputSize < 1 || outputSize < 1)
            throw new IllegalArgumentException("sizes must be positive: input " + inputSize + ", output " + outputSize);
    }
}
