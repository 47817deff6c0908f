package io.recur.config;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The recurrent cell of every layer, by the name job specs use; its maths is
 * {@code io.recur.model.CellMath.of(cell)} (docs/architecture.md, "How to add a cell").
 */
public enum Cell {
    RNN, LSTM, GRU, MGU;

    /** The name job specs and the command line use. */
    public String id() {
        return EnumNames.label(this);
    }

    public static Optional<Cell> byId(String id) {
        return EnumNames.parse(Cell.class, id);
    }

    /** Every cell's id, comma-separated, for messages that list the allowed values. */
    public static String ids() {
        return Arrays.stream(values()).map(Cell::id).collect(Collectors.joining(", "));
    }
}
