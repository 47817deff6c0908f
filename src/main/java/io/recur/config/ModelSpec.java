package io.recur.config;

/**
 * The network the user asked for.
 *
 * @param embeddingSize 0 means one-hot input instead of a learned embedding
 * @param dropout       probability of dropping an input activation of a recurrent layer (0 = off)
 * @param gradientClip  L2-norm clipping threshold per layer (0 = off)
 */
public record ModelSpec(Cell cell, int layers, int hiddenSize, int embeddingSize, boolean bidirectional,
                        double dropout, double l2, double gradientClip, UpdaterKind updater,
                        double learningRate) {}
