package io.recur.train;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Blockwise model-update filtering (Chen &amp; Huo 2016) on the driver: the change a round of
 * parameter averaging made, G = avg(w_i) - s (s: the parameters the replicas started from), is
 * treated as a gradient-like step of a global update with its own learning rate η_b and momentum
 * μ_b, Δ = η_b·G + μ_b·Δ_prev, and the model becomes w + Δ. With μ_b = 1 - 1/k the filtered step of
 * k replicas approaches k times the averaged one, which is what makes k replicas' examples count
 * instead of averaging them away. Classical block momentum starts the replicas from s = w; Nesterov
 * block momentum (the paper's recommended form) from the look-ahead s = w + μ_b·Δ_prev, so the
 * replicas' gradients are taken where the momentum is about to carry the model.
 *
 * <p>Holds Δ_prev between rounds, so one instance belongs to one training run.
 */
final class BlockMomentum {
    private final double momentum;
    private final double learningRate;
    private final boolean nesterov;
    private INDArray previous;

    BlockMomentum(double momentum, double learningRate, boolean nesterov) {
        this.momentum = momentum;
        this.learningRate = learningRate;
        this.nesterov = nesterov;
    }

    /** The parameters the replicas of the next round start from, given the model {@code w} (a new array). */
    INDArray roundStart(INDArray w) {
        return nesterov && previous != null ? w.add(previous.mul(momentum)) : w.dup();
    }

    /**
     * Replaces {@code averaged} (the round's average, in place: it is the network's parameter view)
     * by the filtered model, given the model {@code w} before the round and {@code start}, the
     * parameters the round's replicas started from ({@link #roundStart}).
     */
    void apply(INDArray w, INDArray start, INDArray averaged) {
        INDArray delta = averaged.sub(start).muli(learningRate);
        if (previous != null) delta.addi(previous.mul(momentum));
        previous = delta;
        averaged.assign(w.add(delta));
    }
}
