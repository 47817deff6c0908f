package io.recur.corpus;

import java.io.Serializable;

/**
 * One line of a corpus file as {@link CorpusReader#lines} reads it for scoring: its text, or why
 * its bytes are no text (not UTF-8, a NUL byte, longer than {@code corpus.max-line-bytes}).
 *
 * @param file    the file's URI
 * @param line    1-based line number
 * @param text    the decoded line without its line ending; null when {@code problem} is set
 * @param problem what is wrong with the line's bytes; null for a line of text
 */
public record SourceLine(String file, long line, String text, String problem) implements Serializable {
    /** {@code file:line}: the line's key in messages and in scored output. */
    public String key() {
        return file + ":" + line;
    }
}
