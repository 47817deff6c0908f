package io.recur.job;

/**
 * No executor registered with the cluster master within {@code spark.executor-wait-seconds} of
 * Spark's start: the master is unreachable, or has no free worker. The command line maps it to
 * the exit code of a failed Spark job.
 */
public final class NoExecutorsException extends RuntimeException {
    NoExecutorsException(String message) {
        super(message);
    }
}
