package io.recur.config;

/** How text becomes tokens. */
public enum TokenizerKind {
    /** The text is already tokenized: split on white space. */
    WHITESPACE,
    /** Unicode-aware words, NFC-normalised, punctuation split off. */
    WORD,
    /** One token per Unicode code point. */
    CHAR
}
