package io.recur.config;

/** What the network learns from each example. */
public enum Task {
    /** Many-to-one: one label per sequence, read at its last real step. */
    CLASSIFY,
    /** Many-to-many: the next token at every step. */
    LM,
    /** Many-to-many, aligned: one tag per token (part-of-speech tagging). */
    TAG
}
