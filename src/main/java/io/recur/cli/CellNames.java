package io.recur.cli;

import io.recur.config.Cell;

import java.util.Arrays;
import java.util.Iterator;

/** Every cell's name, for picocli's {@code ${COMPLETION-CANDIDATES}} in option descriptions. */
final class CellNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
        return Arrays.stream(Cell.values()).map(Cell::id).iterator();
    }
}
