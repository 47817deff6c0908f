package io.recur.corpus;

/** Which part of the data an example belongs to. */
public enum Split { TRAIN, VALIDATION, TEST }
