package io.recur.corpus;

import java.io.Serializable;
import java.util.List;

/**
 * One tokenized example.
 *
 * @param source    {@code file:line}, for messages
 * @param label     the class label ({@code labeled} format), else null
 * @param tokens    the tokens after tokenization, lower-casing and truncation
 * @param tags      one tag per token ({@code tagged} format), else null
 * @param truncated whether tokens were cut to the maximum sequence length
 * @param split     assigned from a hash of the example's content, so it is stable across runs
 */
public record Example(String source, String label, List<String> tokens, List<String> tags,
                      boolean truncated, Split split) implements Serializable {
    public Example {
        tokens = List.copyOf(tokens);
        tags = tags == null ? null : List.copyOf(tags);
    }
}
