package io.recur.cli;

import io.recur.config.UserInputException;
import io.recur.registry.LeaseHeldException;
import io.recur.train.TrainingDivergedException;
import org.apache.spark.SparkException;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The exit codes recur documents (README, "Exit codes"), and the one place failures map to them.
 */
public final class ExitCodes {
    public static final int OK = 0;
    /** A bug or an unexpected failure: the message and stack trace go to stderr. */
    public static final int INTERNAL = 1;
    /** Bad command line, job spec or input data; the message names the key, file or line. */
    public static final int BAD_INPUT = 2;
    /** Training diverged (NaN or infinite loss); nothing was published. */
    public static final int DIVERGED = 3;
    /** Reading or writing a file system failed. */
    public static final int IO = 4;
    /** A Spark job failed (lost executors beyond retries, out of memory in a task). */
    public static final int SPARK = 5;
    /** retrain, registry promote or rollback: another process holds the registry's lease; nothing was changed. */
    public static final int LEASE_HELD = 6;
    /** retrain: the challenger was worse than the champion by more than the tolerance; kept as rejected. */
    public static final int REJECTED = 7;

    private ExitCodes() {}

    static int of(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UserInputException) return BAD_INPUT;
            if (t instanceof TrainingDivergedException) return DIVERGED;
            if (t instanceof LeaseHeldException) return LEASE_HELD;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SparkException) return SPARK;
            if (t instanceof IOException || t instanceof UncheckedIOException) return IO;
        }
        return INTERNAL;
    }

    /** The message that names what went wrong, from the cause that carries it. */
    static String message(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause())
            if (t instanceof UserInputException || t instanceof TrainingDivergedException
                    || t instanceof LeaseHeldException) return t.getMessage();
        return e.toString();
    }
}
