/**
 * Scoring a whole corpus with a saved run on the cluster ({@code recur score}): the rows of a
 * {@link io.recur.score.ScoreSource}, the model shipped to the executors, one prediction or one
 * rejection per row, written with Spark SQL's writers and published atomically.
 */
package io.recur.score;
