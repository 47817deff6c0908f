/**
 * The jobs end to end: train (corpus → vocabulary → minibatches → averaged training → held-out
 * evaluation → run directory; optionally resumed from checkpoints or warm-started from an earlier
 * run), evaluate and predict with a saved run, and retrain (one round of scheduled retraining
 * against the model registry).
 */
package io.recur.job;
