/**
 * Run directories and what they hold: claiming and publishing one
 * ({@link io.recur.run.RunDirectory}), its files written and read back by one owner
 * ({@link io.recur.run.SavedRun}), and the typed record of a finished run, {@code metrics.json}
 * ({@link io.recur.run.RunMetrics}) and {@code training-log.jsonl} ({@link io.recur.run.TrainingLog}),
 * with the one JSON mapper of {@code io.recur.storage}. No Spark here.
 */
package io.recur.run;
