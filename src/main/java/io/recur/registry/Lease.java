package io.recur.registry;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An exclusive, expiring lock held as a file ({@code <registry>/<model>/lease}). The lease is
 * written complete under a temporary name and then renamed into place with
 * {@link AtomicRename#renameIfAbsent}, so among processes racing for it exactly one wins, and a
 * reader never sees half a lease. A lease past its expiry is stale (its holder died): it is first
 * moved to {@code lease.expired-<its token>}, a name only one taker can claim, and then acquired
 * as usual. Closing releases the lease if it is still this holder's.
 *
 * <p>A holder whose work may outlast the lease keeps it alive with {@link #keepAlive}: renewing sets
 * the lease file's modification time (one atomic metadata change, so the file is never absent or
 * rewritten), and a lease is stale only once both its expiry and its last renewal plus its term
 * have passed. Every time involved comes from the holders' clocks, not the file system's.
 *
 * <p>Atomic on {@code file:} and {@code hdfs:}; object stores (s3a) have no atomic rename, so
 * they cannot hold a lease safely.
 */
public final class Lease implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Lease.class);
    private static final String EXPIRED_PREFIX = "lease.expired-";
    private final FileSystem fs;
    private final Path file;
    private final LeaseInfo info;
    private final Clock clock;
    private ScheduledExecutorService heartbeat;

    private Lease(FileSystem fs, Path file, LeaseInfo info, Clock clock) {
        this.fs = fs;
        this.file = file;
        this.info = info;
        this.clock = clock;
    }

    /**
     * Takes the lease, or a stale one over.
     *
     * @throws LeaseHeldException if another holder's lease has not expired
     */
    public static Lease acquire(FileSystem fs, Path file, Duration ttl, String owner, Clock clock) {
        Instant now = clock.instant();
        LeaseInfo mine = new LeaseInfo(owner, host(), ProcessHandle.current().pid(), now.toString(),
                now.plus(ttl).toString(), UUID.randomUUID().toString());
        Path temporary = new Path(file.getParent(), "." + file.getName() + "-" + mine.token() + ".tmp");
        try {
            fs.mkdirs(file.getParent());
            try (OutputStream out = fs.create(temporary, false)) {
                Registry.JSON.writeValue(out, mine);
            }
            fs.setTimes(temporary, now.toEpochMilli(), -1);
            try {
                // A few rounds: a holder may release, or another taker clear a stale lease, in between.
                for (int round = 0; round < 3; round++) {
                    if (AtomicRename.renameIfAbsent(fs, temporary, file)) return new Lease(fs, file, mine, clock);
                    LeaseInfo current = read(fs, file);
                    if (current == null) continue;
                    if (!stale(fs, file, current, now)) throw new LeaseHeldException(file.toString(), current);
                    takeOver(fs, file, current);
                }
                LeaseInfo current = read(fs, file);
                throw new LeaseHeldException(file.toString(), current != null ? current
                        : new LeaseInfo("unknown", "unknown", -1, "unknown", "unknown", "unknown"));
            } finally {
                fs.delete(temporary, false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("lease " + file + ": " + e.getMessage(), e);
        }
    }

    /** The lease's holder, or null if there is none; a lease that cannot be parsed counts as held until it is old. */
    static LeaseInfo read(FileSystem fs, Path file) throws IOException {
        try (InputStream in = fs.open(file)) {
            return Registry.JSON.readValue(in, LeaseInfo.class);
        } catch (FileNotFoundException e) {
            return null;
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            FileStatus status;
            try {
                status = fs.getFileStatus(file);
            } catch (FileNotFoundException gone) {
                return null;
            }
            Instant written = Instant.ofEpochMilli(status.getModificationTime());
            return new LeaseInfo("unreadable lease file (" + e.getOriginalMessage() + ")", "unknown", -1,
                    written.toString(), written.plus(Duration.ofDays(1)).toString(), "unparsed-" + written.toEpochMilli());
        }
    }

    /** Past its expiry and not renewed within its term; a lease file gone meanwhile counts as stale. */
    private static boolean stale(FileSystem fs, Path file, LeaseInfo lease, Instant now) throws IOException {
        if (!lease.staleAt(now)) return false;
        try {
            Instant renewed = Instant.ofEpochMilli(fs.getFileStatus(file).getModificationTime());
            return renewed.plus(lease.term()).isBefore(now);
        } catch (FileNotFoundException gone) {
            return true;
        }
    }

    private static void takeOver(FileSystem fs, Path file, LeaseInfo stale) throws IOException {
        Path expired = new Path(file.getParent(), EXPIRED_PREFIX + stale.token());
        if (!AtomicRename.renameIfAbsent(fs, file, expired)) return;
        LeaseInfo moved = read(fs, expired);
        if (moved != null && !moved.token().equals(stale.token())) {
            // Between reading the stale lease and moving it, its taker already replaced it: put the fresh one back.
            AtomicRename.renameIfAbsent(fs, expired, file);
            return;
        }
        LOG.warn("took over the stale lease of {}", stale.describe());
    }

    public LeaseInfo info() {
        return info;
    }

    /**
     * Checks that this holder still holds the lease, before a change that only the holder may make.
     *
     * @throws LeaseHeldException if the lease expired and another process took it over
     */
    public void requireHeld() {
        try {
            LeaseInfo current = read(fs, file);
            if (current != null && current.token().equals(info.token())) return;
            throw new LeaseHeldException(file + " (ours expired at " + info.expiry() + "; raise registry.lease-seconds"
                    + " above the longest run)", current != null ? current
                    : new LeaseInfo("nobody (the lease file is gone)", "unknown", -1, "unknown", "unknown", "unknown"));
        } catch (IOException e) {
            throw new UncheckedIOException("lease " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Marks the lease alive now, so that it stays ours for another term.
     *
     * @throws LeaseHeldException if the lease expired and another process took it over
     */
    public void renew() {
        requireHeld();
        try {
            fs.setTimes(file, clock.millis(), -1);
        } catch (IOException e) {
            throw new UncheckedIOException("renewing lease " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Renews the lease every {@code period} from a daemon thread until {@link #close}. A renewal that
     * fails on I/O is retried at the next period; a lease found taken over stops the renewals with an
     * error in the log, and the holder's next {@link #requireHeld} refuses.
     */
    public synchronized void keepAlive(Duration period) {
        if (heartbeat != null) throw new IllegalStateException("lease " + file + " is already kept alive");
        heartbeat = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "lease-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        heartbeat.scheduleAtFixedRate(() -> {
            try {
                renew();
            } catch (LeaseHeldException e) {
                LOG.error("lost the lease, renewals stop: {}", e.getMessage());
                throw e;
            } catch (UncheckedIOException e) {
                LOG.warn("could not renew the lease, retrying in {}: {}", period, e.getMessage());
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Releases the lease if it is still ours, and clears the leftovers of stale leases taken over. */
    @Override
    public void close() {
        synchronized (this) {
            if (heartbeat != null) {
                heartbeat.shutdownNow();
                heartbeat = null;
            }
        }
        try {
            LeaseInfo current = read(fs, file);
            if (current != null && current.token().equals(info.token())) fs.delete(file, false);
            for (FileStatus s : fs.listStatus(file.getParent(), p -> p.getName().startsWith(EXPIRED_PREFIX)))
                fs.delete(s.getPath(), false);
        } catch (IOException e) {
            throw new UncheckedIOException("releasing lease " + file + ": " + e.getMessage(), e);
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
