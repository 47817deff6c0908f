package io.recur.corpus;

import io.recur.config.UserInputException;
import org.apache.spark.SparkException;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the user's mistake behind a failed Spark job. A task that finds bad input (a corrupt
 * file, a file in the wrong encoding) throws a {@link UserInputException} on an executor; the
 * driver sees a {@link SparkException} whose cause is that exception when it deserializes there,
 * and otherwise only its class and message inside the SparkException's message.
 */
public final class TaskErrors {
    /**
     * How Spark reports a task's exception in the message of the job's {@link SparkException}
     * ({@code ... most recent failure: Lost task 0.0 in stage 1.0 (TID 1) (host executor 0): class: message}),
     * up to the exception's stack trace.
     */
    private static final Pattern TASK_FAILURE = Pattern.compile(
            "most recent failure: Lost task \\S+ in stage \\S+ \\(TID \\d+\\) \\([^)]*\\): ([\\w.$]+)(?:: )?(.*?)"
                    + "(?=\\n\\s*at |\\nCaused by: |\\nDriver stacktrace:|\\z)",
            Pattern.DOTALL);

    private TaskErrors() {}

    /** The user error among {@code e}'s causes, or the one a failed task reported in a SparkException's message. */
    public static Optional<UserInputException> userError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause())
            if (t instanceof UserInputException u) return Optional.of(u);
        for (Throwable t = e; t != null; t = t.getCause())
            if (t instanceof SparkException) {
                Optional<UserInputException> reported = reportedByTask(t.getMessage());
                if (reported.isPresent()) return reported;
            }
        return Optional.empty();
    }

    /** The user error a failed task reported in a Spark job's message, if the class it names is one. */
    static Optional<UserInputException> reportedByTask(String sparkMessage) {
        if (sparkMessage == null) return Optional.empty();
        Matcher m = TASK_FAILURE.matcher(sparkMessage);
        if (!m.find()) return Optional.empty();
        try {
            Class<?> type = Class.forName(m.group(1), false, TaskErrors.class.getClassLoader());
            if (!UserInputException.class.isAssignableFrom(type)) return Optional.empty();
        } catch (ClassNotFoundException notOurs) {
            return Optional.empty();
        }
        return Optional.of(new UserInputException(m.group(2).strip()));
    }
}
