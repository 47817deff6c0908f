package io.recur.job;

/**
 * The cluster cannot run the job: its master does not answer at its URL, or no executor
 * registered within {@code spark.executor-wait-seconds} of Spark's start (no free worker). The
 * command line maps it to the exit code of a failed Spark job.
 */
public final class ClusterUnavailableException extends RuntimeException {
    ClusterUnavailableException(String message) {
        super(message);
    }
}
