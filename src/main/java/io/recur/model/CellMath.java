package io.recur.model;

import io.recur.config.Cell;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The maths of one recurrent cell, everything about it that {@link FusedRecurrentLayer} does not
 * share: the gate blocks of its parameters and their initial biases, its states, its forward pass
 * and its backpropagation through time. The layer hands a cell the step-major input and feature
 * mask ({@link Sequence}) and the step-major dL/dh; the cell owns the per-step loops, which are
 * the hot path of training.
 *
 * <p>Every cell keeps its parameters as {@code W} [nIn, G·H], {@code RW} [H, G·H] and {@code b}
 * [1, {@link #biasLength}] ({@link GateBlockParamInitializer}), so its parameter count is
 * {@code G·(nIn·H + H·H) + biasLength}, and its activations are fixed (sigmoid gates, tanh),
 * because backprop takes their derivatives from the stored outputs.
 */
interface CellMath {

    /** The maths of {@code cell}; a new cell adds its case here and its name to {@link Cell}. */
    static CellMath of(Cell cell) {
        return switch (cell) {
            case RNN -> RnnCell.INSTANCE;
            case LSTM -> LstmCell.INSTANCE;
            case GRU -> GruCell.INSTANCE;
            case MGU -> MguCell.INSTANCE;
        };
    }

    /** G, the number of H-column blocks of W and RW. */
    int blocks();

    /** Length of the bias vector for H = {@code units}. */
    default long biasLength(long units) {
        return blocks() * units;
    }

    /** Sets a fresh layer's bias ([1, biasLength]); {@code biasInit} is the layer's configured value. */
    default void initBias(INDArray bias, long units, double biasInit) {
        bias.assign(biasInit);
    }

    /**
     * Chrono initialisation ({@link ChronoInitialisation}): sets the biases of the gates that keep
     * the state, given ln(u) per unit ([1, units]); a cell without such a gate leaves them.
     */
    default void chronoInit(INDArray bias, INDArray logU, long units) {}

    /** How many [minibatch, H] states the cell carries: 1 (h), or 2 (h, then the LSTM's c). */
    default int states() {
        return 1;
    }

    /** Working memory of the forward pass per example and time step, in elements (the step-major buffers). */
    long forwardElementsPerStep(long nIn, long units);

    /** Working memory of the forward pass per example outside the per-step buffers (initial states). */
    default long forwardElementsFixed(long units) {
        return states() * units;
    }

    /**
     * The forward pass from {@code initialStates} (one [minibatch, H] array per state, or nulls
     * for zero), with W, RW and b as the layer holds them.
     */
    ForwardPass forward(Sequence sequence, INDArray w, INDArray rw, INDArray b, INDArray[] initialStates);

    /**
     * Backpropagation through time over steps {@code firstStep..T-1} of {@code pass}: writes the
     * parameter gradients and dL/d(input) of {@code bp}; may overwrite the pass's buffers and
     * {@code bp.dH()}.
     */
    void backward(ForwardPass pass, Backprop bp);
}
