package io.recur.registry;

import java.time.Instant;

/**
 * The content of a lease file: who holds it, since when, until when.
 *
 * @param owner    user and purpose, e.g. "alice (retrain)"
 * @param acquired ISO-8601 instant
 * @param expiry   ISO-8601 instant after which the lease is stale and may be taken over
 * @param token    unique per acquisition, so that a holder only ever releases its own lease
 */
public record LeaseInfo(String owner, String host, long pid, String acquired, String expiry, String token) {

    boolean staleAt(Instant now) {
        return Instant.parse(expiry).isBefore(now);
    }

    String describe() {
        return owner + " on " + host + " (pid " + pid + ") since " + acquired + ", until " + expiry;
    }
}
