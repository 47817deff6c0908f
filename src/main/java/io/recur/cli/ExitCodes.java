package io.recur.cli;

import io.recur.config.UserInputException;
import io.recur.corpus.TaskErrors;
import io.recur.job.ClusterUnavailableException;
import io.recur.job.ExecutorLosses;
import io.recur.registry.LeaseHeldException;
import io.recur.train.TrainingDivergedException;
import org.apache.hadoop.fs.FSError;
import org.apache.spark.SparkException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The exit codes recur documents (README.md, "Exit codes"), and the one place failures map to them.
 * Only {@link #INTERNAL} prints a stack trace: every other code is answered by one {@code recur: }
 * line that names what went wrong.
 */
public final class ExitCodes {
    public static final int OK = 0;
    /** A bug or an unexpected failure: the message and stack trace go to stderr. */
    public static final int INTERNAL = 1;
    /** Bad command line, job spec or input data; the message names the key, file or line. */
    public static final int BAD_INPUT = 2;
    /** Training diverged (NaN or infinite loss); nothing was published. */
    public static final int DIVERGED = 3;
    /** Reading or writing a file system failed (including a full disk). */
    public static final int IO = 4;
    /** A Spark job failed (lost executors beyond retries, out of memory in a task, no executor registered). */
    public static final int SPARK = 5;
    /** retrain, registry promote or rollback: another process holds the registry's lease; nothing was changed. */
    public static final int LEASE_HELD = 6;
    /** retrain: the challenger was worse than the champion by more than the tolerance; kept as rejected. */
    public static final int REJECTED = 7;

    private ExitCodes() {}

    static int of(Throwable e) {
        Throwable decisive = decisive(e);
        if (decisive instanceof UserInputException) return BAD_INPUT;
        if (decisive instanceof TrainingDivergedException) return DIVERGED;
        if (decisive instanceof LeaseHeldException) return LEASE_HELD;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SparkException || t instanceof ClusterUnavailableException || stoppedContext(t)) return SPARK;
            if (t instanceof IOException || t instanceof UncheckedIOException || t instanceof FSError) return IO;
        }
        return INTERNAL;
    }

    /**
     * Spark's refusal to run on a context it stopped itself: the cluster ended the application
     * (on YARN, when executor losses reach spark.executor.maxNumFailures) between two jobs.
     */
    private static boolean stoppedContext(Throwable t) {
        return t instanceof IllegalStateException && t.getMessage() != null
                && (t.getMessage().startsWith("Cannot call methods on a stopped SparkContext")
                || t.getMessage().startsWith("SparkContext has been shutdown"));
    }

    /** Whether a failure with this exit code is answered with its stack trace: only a bug is. */
    static boolean printsStackTrace(int code) {
        return code == INTERNAL;
    }

    /** The message that names what went wrong, from the cause that carries it. */
    static String message(Throwable e) {
        Throwable decisive = decisive(e);
        if (decisive != null) return decisive.getMessage();
        Optional<String> memoryKill = containerMemoryKill(e);
        if (memoryKill.isPresent()) return memoryKill.get();
        for (Throwable t = e; t != null; t = t.getCause()) {
            // Hadoop's local file system wraps the IOException of a failed write (a full disk) in an
            // Error whose message is only the IOException's toString.
            if (t instanceof FSError) return "file system error: " + t.getCause().getMessage();
            if (t instanceof SparkException || t instanceof ClusterUnavailableException || t instanceof IOException
                    || t instanceof UncheckedIOException || stoppedContext(t)) return firstLine(t.getMessage());
        }
        return e.toString();
    }

    /**
     * The user error, divergence or held lease anywhere in {@code e}'s causes, including a user
     * error a Spark task raised that arrived only as text; null when there is none.
     */
    static Throwable decisive(Throwable e) {
        Optional<UserInputException> user = TaskErrors.userError(e);
        if (user.isPresent()) return user.get();
        for (Throwable t = e; t != null; t = t.getCause())
            if (t instanceof TrainingDivergedException || t instanceof LeaseHeldException) return t;
        return null;
    }

    /**
     * YARN's reason for an executor it killed, as Spark passes it on in a task's failure:
     * "Container killed by YARN for exceeding physical memory limits. 551.1 MB of 544 MB physical
     * memory used. Consider boosting spark.executor.memoryOverhead."
     */
    private static final Pattern YARN_MEMORY_KILL = Pattern.compile(
            "Container killed by YARN for exceeding (physical|virtual) memory limits\\. (.+? (?:physical|virtual) memory used)");

    /**
     * The message for a Spark failure caused by YARN killing an executor's container over its
     * memory limit: ND4J keeps its arrays outside the heap, so the usual fix is the memory
     * overhead, not the heap, and the message names every setting involved.
     */
    static Optional<String> containerMemoryKill(Throwable e) {
        boolean sparkFailure = false;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (!(t instanceof SparkException || stoppedContext(t)) || t.getMessage() == null) continue;
            sparkFailure = true;
            Optional<String> kill = memoryKill(t.getMessage());
            if (kill.isPresent()) return kill;
        }
        // A container killed between two tasks fails no task; the loss is in the executors' record.
        if (sparkFailure)
            for (String reason : ExecutorLosses.reasons()) {
                Optional<String> kill = memoryKill(reason);
                if (kill.isPresent()) return kill;
            }
        return Optional.empty();
    }

    private static Optional<String> memoryKill(String text) {
        Matcher m = YARN_MEMORY_KILL.matcher(text);
        if (!m.find()) return Optional.empty();
        return Optional.of("YARN killed an executor's container for exceeding its " + m.group(1) + " memory limit ("
                + m.group(2) + "); ND4J keeps its arrays outside the Java heap, so raise spark.executor.memoryOverhead"
                + " (scripts/submit: RECUR_EXECUTOR_OVERHEAD) to ND4J's off-heap cap (RECUR_OFFHEAP_MAX,"
                + " -Dorg.bytedeco.javacpp.maxbytes) plus about 1g, or raise --executor-memory; see docs/cluster.md, Memory");
    }

    private static String firstLine(String text) {
        if (text == null) return "";
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
