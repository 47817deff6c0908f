package io.recur.cli;

import io.recur.run.RunDirectory;
import io.recur.registry.Lease;
import io.recur.score.ScoreJob;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.ShutdownHookManager;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import sun.misc.Signal;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What recur does on SIGINT and SIGTERM: it discards the hidden directory of the run or score output in progress,
 * releases the registry lease it holds, prints one line {@code recur: interrupted (SIGTERM)} and
 * exits with 128 + the signal's number (130, 143), as a shell reports a process ended by a signal.
 * Whatever the interrupted work and Spark's own shutdown print after that line is dropped: it is
 * the echo of the interruption (Spark context stopped under a running job), not news.
 *
 * <p>Commands hand {@code System.out} and {@code System.err} to the jobs, which keep them; so both are
 * replaced at start-up by {@link Gate}s that the clean-up closes in the same step as it writes its
 * line. Merely replacing {@code System.err} at the end would leave a training thread that still
 * holds the old stream free to print its next epoch line after the interruption's.
 *
 * <p>The clean-up runs as a Hadoop shutdown hook of a higher priority than Spark's, so it comes
 * before Spark stops its context and Hadoop closes its file systems, which the clean-up still needs.
 * Checkpoints stay: a retrain resumes from them.
 */
final class Interruption {
    /** Above Spark's hooks (Hadoop priority 40) and Hadoop's file system cache (10). */
    private static final int HOOK_PRIORITY = 100;
    /** The first signal received; a second one (Ctrl-C pressed twice) changes nothing. */
    private static final AtomicReference<String> SIGNAL = new AtomicReference<>();
    private static Gate out;
    private static Gate err;

    private Interruption() {}

    /** Takes over SIGINT and SIGTERM; only {@link Main#main} calls this, since the handlers end the JVM. */
    static void install() {
        out = new Gate(System.out);
        err = new Gate(System.err);
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        for (String name : List.of("INT", "TERM")) {
            try {
                Signal.handle(new Signal(name), received -> {
                    SIGNAL.compareAndSet(null, "SIG" + received.getName());
                    System.exit(128 + received.getNumber());
                });
            } catch (IllegalArgumentException unavailable) {
                // The JVM runs with -Xrs or the platform lacks the signal: its default handling stays.
            }
        }
        ShutdownHookManager.get().addShutdownHook(Interruption::cleanUp, HOOK_PRIORITY);
    }

    /** Whether the process is shutting down because of a signal. */
    static boolean interrupted() {
        return SIGNAL.get() != null;
    }

    private static void cleanUp() {
        String signal = SIGNAL.get();
        if (signal == null) return;
        List<Path> discarded = RunDirectory.discardAllUnpublished();
        List<String> outputs = ScoreJob.discardAllUnpublished();
        Lease.releaseAllHeld();
        String line = "recur: interrupted (" + signal + ")"
                + (discarded.isEmpty() ? "" : "; discarded the unpublished run " + discarded.get(0)
                + (discarded.size() > 1 ? " and " + (discarded.size() - 1) + " more" : ""))
                + (outputs.isEmpty() ? "" : "; discarded the unpublished output " + outputs.get(0));
        out.close();
        err.closeWith(line + System.lineSeparator());
        silenceLogging();
    }

    private static void silenceLogging() {
        try {
            Configurator.setAllLevels(LogManager.ROOT_LOGGER_NAME, Level.OFF);
        } catch (LinkageError noLog4jCore) {
            // Another logging back end: its shutdown messages may still show.
        }
    }

    /**
     * An output stream that forwards to the process's own stream until it is closed, and drops
     * everything after. Writes and the close share one lock, so no line can land after the last one.
     */
    static final class Gate extends OutputStream {
        private final PrintStream target;
        private boolean open = true;
        private int lastByte = '\n';

        Gate(PrintStream target) {
            this.target = target;
        }

        @Override
        public synchronized void write(int b) {
            if (!open) return;
            target.write(b);
            lastByte = b;
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            if (!open || len == 0) return;
            target.write(b, off, len);
            lastByte = b[off + len - 1];
        }

        @Override
        public synchronized void flush() {
            if (open) target.flush();
        }

        /** Writes {@code last} on a line of its own, then drops whatever comes after. */
        synchronized void closeWith(String last) {
            if (!open) return;
            if (lastByte != '\n') target.print(System.lineSeparator());
            target.print(last);
            target.flush();
            open = false;
        }

        @Override
        public synchronized void close() {
            if (open) target.flush();
            open = false;
        }
    }
}
