/**
 * Training on Spark by parameter averaging: epochs, validation after each, early stopping with
 * the best model kept, checkpoints after every epoch to resume from, and the driver's progress display.
 */
package io.recur.train;
