/**
 * recur as Spark ML stages: {@link io.recur.spark.ml.RecurClassifier} and
 * {@link io.recur.spark.ml.RecurTagger} train from a DataFrame with the CLI's parameter-averaging
 * job, and their models append predictions to a DataFrame on the executors; a saved model is a run
 * directory that {@code recur predict}, {@code evaluate} and {@code score} load too.
 */
package io.recur.spark.ml;
