package io.recur.catalogue;

import java.util.List;

/** What one command did: its exit code and what it printed. */
public record Outcome(int exitCode, String stdout, String stderr) {

    /** The first line of stderr, or "" when nothing was printed there. */
    public String firstErrorLine() {
        return stderr.lines().findFirst().orElse("");
    }

    public List<String> stdoutLines() {
        return stdout.lines().toList();
    }

    /** Whether stderr holds a Java stack trace (a frame line or an uncaught-exception header). */
    public boolean printedStackTrace() {
        return stderr.lines().anyMatch(l -> l.startsWith("\tat ") || l.startsWith("Exception in thread")
                || l.startsWith("Caused by: "));
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + abbreviate(stdout) + "\n--- stderr\n" + abbreviate(stderr);
    }

    private static String abbreviate(String s) {
        return s.length() <= 4000 ? s : s.substring(0, 4000) + "\n[... " + (s.length() - 4000) + " more characters]";
    }
}
