package io.recur.train;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Blockwise model-update filtering (Chen &amp; Huo 2016) on the driver: the change a round of
 * parameter averaging made, G = avg(w_i) - w_start, is treated as a gradient-like step of a global
 * update with its own learning rate η_b and momentum μ_b, Δ = η_b·G + μ_b·Δ_prev, and the next round
 * starts from w_start + Δ. With μ_b = 1 - 1/k the filtered step of k replicas approaches k times the
 * averaged one, which is what makes k replicas' examples count instead of averaging them away.
 *
 * <p>Holds Δ_prev between rounds, so one instance belongs to one training run.
 */
final class BlockMomentum {
    private final double momentum;
    private final double learningRate;
    private INDArray previous;

    BlockMomentum(double momentum, double learningRate) {
        this.momentum = momentum;
        this.learningRate = learningRate;
    }

    /**
     * Replaces {@code averaged} (the round's average, in place: it is the network's parameter view)
     * by the filtered parameters, given {@code start}, the parameters the round started from.
     */
    void apply(INDArray start, INDArray averaged) {
        INDArray delta = averaged.sub(start).muli(learningRate);
        if (previous != null) delta.addi(previous.mul(momentum));
        previous = delta;
        averaged.assign(start.add(delta));
    }
}
