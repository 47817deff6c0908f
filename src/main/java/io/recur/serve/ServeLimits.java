package io.recur.serve;

import io.recur.config.UserInputException;

/**
 * How much the server takes on: worker threads (and networks), texts in one request, bytes in one
 * request body, and connections accepted but not yet being answered.
 */
public record ServeLimits(int threads, int maxBatch, int maxBodyBytes, int queuedRequests) {
    public static final int DEFAULT_MAX_BATCH = 64;
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
    /** Per worker thread; beyond it the server stops accepting until a worker is free. */
    public static final int QUEUED_PER_THREAD = 64;

    public ServeLimits {
        if (threads < 1) throw new UserInputException("--threads " + threads + ": at least 1");
        if (maxBatch < 1) throw new UserInputException("--max-batch " + maxBatch + ": at least 1");
        if (maxBodyBytes < 16) throw new UserInputException("--max-body-bytes " + maxBodyBytes + ": at least 16");
        if (queuedRequests < 1) throw new IllegalArgumentException("queuedRequests must be at least 1, was " + queuedRequests);
    }

    public static ServeLimits of(int threads, int maxBatch, int maxBodyBytes) {
        return new ServeLimits(threads, maxBatch, maxBodyBytes, threads * QUEUED_PER_THREAD);
    }
}
