package io.recur.catalogue;

import java.util.Objects;

/**
 * One row of the bad-input catalogue (docs/bad-input.md): what the user gives, which command, the
 * exit code and first message line recur must answer with, and what must be left on disk.
 *
 * <p>Every row is also held to the rules that hold for all of them ({@link BadInputCatalogueTest}):
 * no stack trace, no {@code .incomplete-*} directory left, and every file the workspace held before
 * the command still there with the same bytes.
 *
 * @param kind     the kind of bad input, as the docs' table names it (unique)
 * @param command  the recur command it is given to
 * @param setup    builds the input in a fresh workspace and returns the command line
 * @param exitCode the documented exit code (never 1: a user's mistake is not a bug)
 * @param message  a text the first line of stderr must contain after {@code recur: }; null when
 *                 the command succeeds and prints no error
 * @param check    what else must hold afterwards (files left, output printed)
 */
public record BadInput(String kind, String command, Setup setup, int exitCode, String message, Check check) {
    public BadInput {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(setup);
        if (exitCode == 1) throw new IllegalArgumentException(kind + ": exit code 1 means a bug, not a bad input");
        if (exitCode != 0 && message == null) throw new IllegalArgumentException(kind + ": an error names what is wrong");
    }

    /** Builds the input in {@code ws} and returns the arguments of {@code recur}. */
    @FunctionalInterface
    public interface Setup {
        String[] args(Workspace ws) throws Exception;
    }

    /** A condition on the workspace and the command's outcome; throws an assertion error when it fails. */
    @FunctionalInterface
    public interface Check {
        void verify(Workspace ws, Outcome outcome) throws Exception;

        Check NONE = (ws, outcome) -> {};

        default Check and(Check next) {
            return (ws, outcome) -> {
                verify(ws, outcome);
                next.verify(ws, outcome);
            };
        }
    }

    /** A row that expects {@code exitCode} with {@code message} in the first line of stderr. */
    public static BadInput fails(String kind, String command, Setup setup, int exitCode, String message) {
        return new BadInput(kind, command, setup, exitCode, message, Checks.nothingPublished());
    }

    /** A row whose input recur must accept (exit 0), then {@code check} what it made of it. */
    public static BadInput accepts(String kind, String command, Setup setup, Check check) {
        return new BadInput(kind, command, setup, 0, null, check);
    }

    /** The same row with {@code more} checked after the others. */
    public BadInput leaving(Check more) {
        return new BadInput(kind, command, setup, exitCode, message, check.and(more));
    }

    /** The same row with {@code replacement} as its only extra check (e.g. when a run may be published). */
    public BadInput leavingOnly(Check replacement) {
        return new BadInput(kind, command, setup, exitCode, message, replacement);
    }

    @Override
    public String toString() {
        return command + ": " + kind;
    }
}
