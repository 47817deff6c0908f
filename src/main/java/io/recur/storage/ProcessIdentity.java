package io.recur.storage;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One process on one host, as written into the files it owns (a lease, a run directory in the
 * making), so that another process can tell whether the owner is still alive.
 *
 * @param host         the owner's host name ("unknown" if it has none)
 * @param pid          its process id
 * @param startedAt    ISO-8601 instant the process started, or null if the system does not say (then
 *                     a live process with the pid counts as the owner)
 * @param pidNamespace the pid namespace the pid belongs to (Linux: {@code /proc/self/ns/pid}, e.g.
 *                     {@code pid:[4026531836]}), or null where there is none to read: two containers
 *                     that share a host name do not share their pids
 */
public record ProcessIdentity(String host, long pid, String startedAt, String pidNamespace) {
    /**
     * Two readings of one process's start time agree to the clock tick; a pid reused by a later
     * process starts at least this much later, since the owner ran long enough to write its file.
     */
    private static final Duration SAME_START = Duration.ofSeconds(1);
    private static final String UNKNOWN_HOST = "unknown";
    private static final String LOCAL_HOST = resolveLocalHost();
    private static final String LOCAL_PID_NAMESPACE = readPidNamespace();

    /** This process. */
    public static ProcessIdentity current() {
        ProcessHandle self = ProcessHandle.current();
        return of(self).orElse(new ProcessIdentity(LOCAL_HOST, self.pid(), null, LOCAL_PID_NAMESPACE));
    }

    /** A process of this host, if it is still running. */
    public static Optional<ProcessIdentity> of(ProcessHandle process) {
        if (!process.isAlive()) return Optional.empty();
        return Optional.of(new ProcessIdentity(LOCAL_HOST, process.pid(),
                process.info().startInstant().map(Instant::toString).orElse(null), LOCAL_PID_NAMESPACE));
    }

    /**
     * Whether its pid means the same process here: the same named host and the same pid namespace.
     * Hosts whose name is unknown never match, since two of them may both be "unknown".
     */
    public boolean onThisHost() {
        return !UNKNOWN_HOST.equals(LOCAL_HOST) && LOCAL_HOST.equals(host)
                && Objects.equals(pidNamespace, LOCAL_PID_NAMESPACE);
    }

    /**
     * Whether the owner is provably gone: its pid means the same here ({@link #onThisHost}) and is
     * either free or taken by a process that started at another time. An owner elsewhere is never
     * provably gone.
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

    private static String resolveLocalHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return UNKNOWN_HOST;
        }
    }

    private static String readPidNamespace() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }
}
