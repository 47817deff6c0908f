/**
 * Held-out measures: classification metrics from a confusion matrix, language-model perplexity,
 * trivial baselines for reference, and their distributed computation over a Spark RDD.
 */
package io.recur.eval;
