/**
 * The typed record of a finished run, as its run directory keeps it: {@code metrics.json}
 * ({@link io.recur.run.RunMetrics}) and {@code training-log.jsonl} ({@link io.recur.run.TrainingLog}),
 * each written and read back by one type with the one JSON mapper of {@code io.recur.storage}.
 * No Spark here.
 */
package io.recur.run;
