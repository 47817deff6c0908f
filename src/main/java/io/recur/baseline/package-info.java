/**
 * Strong non-neural baselines: for each corpus task an ordinary predictor fitted on the training
 * split with Spark, its settings chosen on the validation split, scored on the test examples the
 * network is scored on, so that a run shows whether a recurrent network was worth its cost.
 */
package io.recur.baseline;
