package io.recur.report;

/**
 * A text the language model generated, as the report shows it.
 *
 * @param prompt        what the model continued (may be empty)
 * @param continuation  the generated text, to be shown right after the prompt
 * @param endOfSequence true when the model ended the text itself, false when it was cut at the length limit
 * @param command       the command line that reproduces the sample
 */
public record TextSample(String prompt, String continuation, boolean endOfSequence, String command) {}
