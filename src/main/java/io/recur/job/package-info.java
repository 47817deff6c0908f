/**
 * The jobs end to end: train (data from {@code io.recur.data} → averaged training → held-out
 * evaluation → run directory; optionally resumed from checkpoints or warm-started from an earlier
 * run), evaluate, predict and generate with a saved run, and retrain (one round of scheduled
 * retraining against the model registry).
 */
package io.recur.job;
