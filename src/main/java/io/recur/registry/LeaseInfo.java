package io.recur.registry;

import java.time.Duration;
import java.time.Instant;

/**
 * The content of a lease file: who holds it, since when, until when.
 *
 * @param owner    user and purpose, e.g. "alice (retrain)"
 * @param acquired ISO-8601 instant
 * @param expiry   ISO-8601 instant after which the lease is stale and may be taken over, unless its
 *                 holder renewed it within the last term (see {@link Lease#keepAlive})
 * @param token    unique per acquisition, so that a holder only ever releases its own lease
 */
public record LeaseInfo(String owner, String host, long pid, String acquired, String expiry, String token) {

    /** How long the lease lasts from its acquisition or its last renewal. */
    Duration term() {
        return Duration.between(Instant.parse(acquired), Instant.parse(expiry));
    }

    boolean staleAt(Instant now) {
        return Instant.parse(expiry).isBefore(now);
    }

    String describe() {
        return owner + " on " + host + " (pid " + pid + ") since " + acquired + ", until " + expiry;
    }
}
