/**
 * The jobs end to end: train (corpus → vocabulary → minibatches → averaged training → held-out
 * evaluation → run directory), evaluate and predict with a saved run.
 */
package io.recur.job;
