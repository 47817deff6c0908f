package io.recur.score;

import java.util.Map;

/**
 * What {@code score} did, printed as JSON when it has published.
 *
 * @param rows       rows read from the input
 * @param scored     rows written to the predictions
 * @param rejected   rows written to {@code _rejects}; {@code scored + rejected == rows}
 * @param rejectedBy the rejected rows by reason
 */
public record ScoreReport(String model, String input, String output, String format, long rows, long scored,
                          long rejected, Map<String, Long> rejectedBy) {}
