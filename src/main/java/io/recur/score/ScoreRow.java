package io.recur.score;

import java.io.Serializable;

/**
 * One row to score, as a {@link ScoreSource} gives it.
 *
 * @param key     stable within the input: {@code file:line} of a text file; a table's {@code corpus.columns.id}
 *                value (unique if the column is), else its file and row
 * @param text    the text to score; null when {@code problem} is set
 * @param problem why the row's bytes are no text (not UTF-8, too long); null for a row of text
 */
public record ScoreRow(String key, String text, String problem) implements Serializable {}
