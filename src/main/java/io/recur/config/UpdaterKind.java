package io.recur.config;

/** Gradient updater. */
public enum UpdaterKind { ADAM, RMSPROP, SGD, NESTEROVS }
