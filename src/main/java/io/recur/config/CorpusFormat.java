package io.recur.config;

/** How one line of a corpus file is laid out. */
public enum CorpusFormat {
    /** One document per line. */
    TEXT,
    /** {@code label<TAB>text}. */
    LABELED,
    /** {@code token/TAG token/TAG ...}, one sentence per line. */
    TAGGED
}
