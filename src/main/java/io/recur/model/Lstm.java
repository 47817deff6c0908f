package io.recur.model;

import io.recur.config.Cell;

/**
 * The configuration name of an {@code lstm} layer in models saved before {@link FusedRecurrent}
 * (recur eac200f and earlier): their JSON names this class, which loads as a
 * {@link FusedRecurrent} of cell lstm. Its old {@code forgetGateBiasInit} setting only ever set
 * the initial bias, which a saved model has replaced by its trained one, so the JSON's value is
 * not read.
 */
public final class Lstm extends FusedRecurrent {
    private Lstm() {
        super(Cell.LSTM);
    }
}
