package io.recur.corpus;

import java.io.Serializable;

/**
 * One row of a table as {@link CorpusReader#tableRows} reads it for scoring: its text, or why it has none.
 *
 * @param key     the {@code corpus.columns.id} value, or without one (or where it is null) the row's
 *                file and 1-based row, as messages name it
 * @param text    the text column's value, or the tokens column's tokens joined by a space; null when
 *                {@code problem} is set
 * @param problem why the row has no text (a null text, a null token); null for a row with one
 */
public record TableRow(String key, String text, String problem) implements Serializable {}
