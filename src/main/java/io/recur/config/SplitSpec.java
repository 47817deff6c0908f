package io.recur.config;

/** Fractions of the train / validation / test split; they sum to 1. */
public record SplitSpec(double trainFraction, double validationFraction, double testFraction) {}
