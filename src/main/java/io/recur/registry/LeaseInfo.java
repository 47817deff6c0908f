package io.recur.registry;

import java.time.Duration;
import java.time.Instant;
import io.recur.storage.ProcessIdentity;

/**
 * The content of a lease file: who holds it, since when, for how long without a renewal.
 *
 * @param owner        user and purpose, e.g. "alice (retrain)"
 * @param host         the holder's host name
 * @param pid          the holder's process id
 * @param processStart ISO-8601 instant the holder's process started (null in leases of older
 *                     versions), so that a process that reuses the pid is not taken for the holder
 * @param pidNamespace the pid namespace of {@code pid} (see {@link ProcessIdentity#pidNamespace})
 * @param acquired     ISO-8601 instant
 * @param expiry       ISO-8601 instant: {@code acquired} plus the term; the lease file's modification
 *                     time is its last renewal, and a lease from another host is stale once a term
 *                     has passed since then (see {@link Lease})
 * @param token        unique per acquisition, so that a holder only ever releases its own lease
 */
public record LeaseInfo(String owner, String host, long pid, String processStart, String pidNamespace,
                        String acquired, String expiry, String token) {
    private static final String UNREADABLE = "unreadable-";

    /**
     * A lease file that does not parse: it counts as held by a holder on an unknown host, renewed
     * when the file was last written, for the term the reader would take the lease for.
     */
    static LeaseInfo unreadable(String problem, Instant written, Duration term) {
        return new LeaseInfo("an unreadable lease file (" + problem + ")", "unknown", -1, null, null, written.toString(),
                written.plus(term).toString(), UNREADABLE + written.toEpochMilli());
    }

    /** Stands in for a holder that is gone by the time the lease is read again. */
    static LeaseInfo nobody(String why) {
        return new LeaseInfo("nobody (" + why + ")", "unknown", -1, null, null, "unknown", "unknown", "unknown");
    }

    /** The holding process. */
    public ProcessIdentity holder() {
        return new ProcessIdentity(host, pid, processStart, pidNamespace);
    }

    boolean isUnreadable() {
        return token.startsWith(UNREADABLE);
    }

    /** How long the lease lasts from its acquisition or its last renewal. */
    Duration term() {
        return Duration.between(Instant.parse(acquired), Instant.parse(expiry));
    }

    /** Who holds it, for messages. */
    public String describe() {
        if (isUnreadable()) return owner + ", last written " + acquired;
        return owner + " on " + holder() + " since " + acquired;
    }
}
