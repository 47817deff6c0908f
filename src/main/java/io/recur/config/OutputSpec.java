package io.recur.config;

/** Runs go to {@code <dir>/<job name>/<run id>/}; scratch files to {@code workDir}. */
public record OutputSpec(String dir, String workDir) {}
