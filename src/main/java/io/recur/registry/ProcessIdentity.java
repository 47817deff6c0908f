package io.recur.registry;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One process on one host, as written into the files it owns (a lease, a run directory in the
 * making), so that another process can tell whether the owner is still alive.
 *
 * @param host      the owner's host name
 * @param pid       its process id
 * @param startedAt ISO-8601 instant the process started, or null if the system does not say (then
 *                  a live process with the pid counts as the owner)
 */
public record ProcessIdentity(String host, long pid, String startedAt) {
    /**
     * Two readings of one process's start time agree to the clock tick; a pid reused by a later
     * process starts at least this much later, since the owner ran long enough to write its file.
     */
    private static final Duration SAME_START = Duration.ofSeconds(1);
    private static final String LOCAL_HOST = resolveLocalHost();

    /** This process. */
    public static ProcessIdentity current() {
        ProcessHandle self = ProcessHandle.current();
        return of(self).orElse(new ProcessIdentity(localHost(), self.pid(), null));
    }

    /** A process on this host, if it is still running. */
    static Optional<ProcessIdentity> of(ProcessHandle process) {
        if (!process.isAlive()) return Optional.empty();
        return Optional.of(new ProcessIdentity(localHost(), process.pid(),
                process.info().startInstant().map(Instant::toString).orElse(null)));
    }

    /** Whether this is a process of this host. */
    public boolean onThisHost() {
        return host != null && host.equals(localHost());
    }

    /**
     * Whether the owner is provably gone: it ran on this host and its pid is either free or taken by
     * a process that started at another time. An owner on another host is never provably gone.
     */
    public boolean provablyGone() {
        if (!onThisHost() || pid <= 0) return false;
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) return true;
        if (startedAt == null) return false;
        Optional<Instant> started = process.get().info().startInstant();
        return started.isPresent()
                && Duration.between(Instant.parse(startedAt), started.get()).abs().compareTo(SAME_START) >= 0;
    }

    @Override
    public String toString() {
        return host + " (pid " + pid + (startedAt == null ? "" : ", started " + startedAt) + ")";
    }

    static String localHost() {
        return LOCAL_HOST;
    }

    private static String resolveLocalHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
