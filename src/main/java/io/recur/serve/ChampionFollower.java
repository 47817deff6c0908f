package io.recur.serve;

import io.recur.registry.ChampionPointer;
import io.recur.registry.Registry;
import org.apache.hadoop.conf.Configuration;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps the served model the registry's champion: polls the champion pointer, and when it names
 * another version (a promotion or a rollback) loads that version on its own thread while the old
 * model keeps answering, then swaps it in with one reference write. Requests in progress finish on
 * the model they started with. A version that fails its checks on loading (a file that differs from
 * its manifest, a missing file) is refused with one line on the log and the old model kept; it is
 * not tried again until the pointer changes.
 */
final class ChampionFollower implements AutoCloseable {
    /** What one look at the pointer did. */
    enum Outcome { UNCHANGED, SWAPPED, REFUSED }

    private final Registry registry;
    private final AtomicReference<ServedModel> served;
    private final Configuration hadoop;
    private final int copies;
    private final ServeMetrics metrics;
    private final PrintStream log;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "recur-serve-champion");
        t.setDaemon(true);
        return t;
    });
    /** The pointer sequence last refused or failed to read, so that one failure is logged once. */
    private long refusedSequence = -1;
    private String lastProblem;

    ChampionFollower(Registry registry, AtomicReference<ServedModel> served, Configuration hadoop, int copies,
                     ServeMetrics metrics, PrintStream log) {
        this.registry = registry;
        this.served = served;
        this.hadoop = hadoop;
        this.copies = copies;
        this.metrics = metrics;
        this.log = log;
    }

    /** Looks at the pointer every {@code interval}, the first time after one interval. */
    void start(Duration interval) {
        long ms = interval.toMillis();
        poller.scheduleWithFixedDelay(this::poll, ms, ms, TimeUnit.MILLISECONDS);
    }

    private void poll() {
        try {
            refresh();
        } catch (RuntimeException | Error e) {
            // The poller must outlive anything one look throws, or the server would stop following unnoticed.
            log.println("recur: internal error following the champion of " + registry.modelDir() + ": " + e);
            e.printStackTrace(log);
        }
    }

    /** One look at the champion pointer; loads and swaps in a new champion, or refuses it. */
    synchronized Outcome refresh() {
        Optional<ChampionPointer> pointer;
        try {
            pointer = registry.championPointer();
        } catch (RuntimeException e) {
            problem("recur: warning: cannot read the champion pointer of " + registry.modelDir() + " (" + e.getMessage()
                    + "); still serving " + served.get().label());
            return Outcome.UNCHANGED;
        }
        if (pointer.isEmpty()) {
            problem("recur: warning: " + registry.modelDir() + " has no champion pointer any more; still serving "
                    + served.get().label());
            return Outcome.UNCHANGED;
        }
        ChampionPointer p = pointer.get();
        ServedModel current = served.get();
        if (p.version().equals(current.version())) {
            lastProblem = null;
            return Outcome.UNCHANGED;
        }
        if (p.sequence() == refusedSequence) return Outcome.REFUSED;
        ServedModel next;
        try {
            next = ServedModel.load(registry.versionDir(p.version()).toString(), p.version(), hadoop, copies, log);
        } catch (RuntimeException e) {
            refusedSequence = p.sequence();
            metrics.refused();
            log.println("recur: warning: refused champion " + p.version() + " (" + p.reason() + "): " + e.getMessage()
                    + "; still serving " + current.label());
            return Outcome.REFUSED;
        }
        served.set(next);
        metrics.loaded();
        lastProblem = null;
        log.println("recur: now serving " + p.version() + " (" + p.reason() + "), was " + current.label());
        return Outcome.SWAPPED;
    }

    private void problem(String line) {
        if (line.equals(lastProblem)) return;
        lastProblem = line;
        log.println(line);
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
