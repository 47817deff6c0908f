package io.recur.model;

import io.recur.config.Cell;

/**
 * The configuration name of an {@code rnn} layer in models saved before {@link FusedRecurrent}
 * (recur eac200f and earlier): their JSON names this class, which loads as a
 * {@link FusedRecurrent} of cell rnn.
 */
public final class Rnn extends FusedRecurrent {
    private Rnn() {
        super(Cell.RNN);
    }
}
