package io.recur.config;

import com.typesafe.config.Config;

import java.util.Objects;

/**
 * The network the user asked for.
 *
 * @param embeddingSize 0 means one-hot input instead of a learned embedding
 * @param dropout       probability of dropping an input activation of a recurrent layer (0 = off)
 * @param gradientClip  L2-norm clipping threshold per layer (0 = off)
 * @param chronoInitSteps T_max of chrono initialisation of the gate biases (0 = off, else >= 2)
 */
public record ModelSpec(Cell cell, int layers, int hiddenSize, int embeddingSize, boolean bidirectional,
                        double dropout, double l2, double gradientClip, UpdaterKind updater,
                        double learningRate, int chronoInitSteps) {
    static final int MAX_LAYERS = 8;
    static final int MAX_CHRONO_INIT_STEPS = 1_000_000;
    static final int MAX_HIDDEN_SIZE = 8192;
    static final int MAX_EMBEDDING_SIZE = 4096;

    public ModelSpec {
        Objects.requireNonNull(cell, "cell");
        Objects.requireNonNull(updater, "updater");
        if (layers < 1 || layers > MAX_LAYERS) {
            throw new IllegalArgumentException("layers must be in 1.." + MAX_LAYERS + ", was " + layers);
        }
        if (hiddenSize < 1 || hiddenSize > MAX_HIDDEN_SIZE) {
            throw new IllegalArgumentException("hiddenSize must be in 1.." + MAX_HIDDEN_SIZE + ", was " + hiddenSize);
        }
        if (embeddingSize < 0 || embeddingSize > MAX_EMBEDDING_SIZE) {
            throw new IllegalArgumentException("embeddingSize must be in 0.." + MAX_EMBEDDING_SIZE
                    + ", was " + embeddingSize);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), was " + dropout);
        }
        if (!(l2 >= 0 && Double.isFinite(l2))) {
            throw new IllegalArgumentException("l2 must be >= 0, was " + l2);
        }
        if (!(gradientClip >= 0 && Double.isFinite(gradientClip))) {
            throw new IllegalArgumentException("gradientClip must be >= 0, was " + gradientClip);
        }
        if (!(learningRate > 0 && Double.isFinite(learningRate))) {
            throw new IllegalArgumentException("learningRate must be > 0, was " + learningRate);
        }
        if (chronoInitSteps == 1 || chronoInitSteps < 0 || chronoInitSteps > MAX_CHRONO_INIT_STEPS) {
            throw new IllegalArgumentException("chronoInitSteps must be 0 or in 2.." + MAX_CHRONO_INIT_STEPS
                    + ", was " + chronoInitSteps);
        }
    }

    /** A network with the cells' usual gate biases (no chrono initialisation). */
    public ModelSpec(Cell cell, int layers, int hiddenSize, int embeddingSize, boolean bidirectional, double dropout,
                     double l2, double gradientClip, UpdaterKind updater, double learningRate) {
        this(cell, layers, hiddenSize, embeddingSize, bidirectional, dropout, l2, gradientClip, updater, learningRate, 0);
    }

    /** Reads {@code model.*} of a resolved job spec. */
    static ModelSpec from(Config root) {
        SpecReader r = new SpecReader(root);
        return new ModelSpec(
                r.oneOf("model.cell", Cell.class),
                r.wholeInt("model.layers", 1, MAX_LAYERS),
                r.wholeInt("model.hidden-size", 1, MAX_HIDDEN_SIZE),
                r.wholeInt("model.embedding-size", 0, MAX_EMBEDDING_SIZE),
                r.bool("model.bidirectional"),
                r.decimal("model.dropout", p -> p >= 0 && p < 1, "a probability in [0, 1)"),
                r.decimal("model.l2", x -> x >= 0, "a number >= 0"),
                r.decimal("model.gradient-clip", x -> x >= 0, "a number >= 0 (0 = off)"),
                r.oneOf("model.updater", UpdaterKind.class),
                r.decimal("model.learning-rate", x -> x > 0, "a number > 0"),
                chronoInitSteps(r));
    }

    private static int chronoInitSteps(SpecReader r) {
        int steps = r.wholeInt("model.chrono-init-steps", 0, MAX_CHRONO_INIT_STEPS);
        if (steps == 1)
            throw r.bad("model.chrono-init-steps", r.valueOrNull("model.chrono-init-steps"),
                    "expected 0 (off) or the longest dependency in steps, >= 2");
        return steps;
    }
}
