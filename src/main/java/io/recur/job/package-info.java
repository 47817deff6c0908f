/**
 * The jobs end to end: train (corpus → vocabulary → minibatches → averaged training → held-out
 * evaluation → run directory), evaluate and predict with a saved run, and retrain (one round of
 * scheduled retraining against the model registry).
 */
package io.recur.job;
