/**
 * Training on Spark by parameter averaging: epochs, validation after each, early stopping with
 * the best model kept, and the driver's progress display.
 */
package io.recur.train;
