package io.recur.registry;

import io.recur.storage.AtomicPublish;
import io.recur.storage.Json;
import io.recur.storage.ProcessIdentity;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An exclusive lock held as a file ({@code <registry>/<model>/lease}). The lease is written complete
 * under a temporary name and then renamed into place with {@link AtomicPublish#renameIfAbsent}, so
 * among processes racing for it exactly one wins, and a reader never sees half a lease. A stale
 * lease (its holder died) is first moved to {@code lease.expired-<its token>}, a name only one
 * taker can claim, and then acquired as usual. Closing releases the lease if it is still this
 * holder's.
 *
 * <p>When a lease is stale:
 * <ul>
 * <li>held by a process on this host: once that process is gone, at once. A pid now used by a
 *     process that started at another time than the one the lease records is gone too. While the
 *     holder's process lives, the lease is held, however long it takes.</li>
 * <li>held on another host: once it has not been renewed for its term. The holder renews it every
 *     {@link #RENEWALS_PER_TERM}th of the term ({@link #keepAlive}) by setting the lease file's
 *     modification time (one atomic metadata change, so the file is never absent or rewritten); so
 *     a holder elsewhere that died is taken over after {@link #RENEWALS_PER_TERM} missed renewals.
 *     Its renewals come from its clock and the check from the taker's: clocks must agree to well
 *     within a term.</li>
 * <li>a lease file that cannot be parsed: as a lease of another host written at the file's
 *     modification time for the taker's term. The refusal names the file and says when it will be
 *     taken over.</li>
 * </ul>
 *
 * <p>Atomic on {@code file:} and {@code hdfs:}; object stores (s3a) have no atomic rename, so
 * they cannot hold a lease safely.
 */
public final class Lease implements AutoCloseable {
    /** A holder renews its lease this many times per term. */
    public static final int RENEWALS_PER_TERM = 4;
    private static final Duration MIN_RENEWAL_PERIOD = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(Lease.class);
    private static final String EXPIRED_PREFIX = "lease.expired-";
    /** Leases this process holds, released by {@link #releaseAllHeld} when the process is interrupted. */
    private static final Set<Lease> HELD = ConcurrentHashMap.newKeySet();
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
     * @throws LeaseHeldException if another holder's lease is not stale
     */
    public static Lease acquire(FileSystem fs, Path file, Duration ttl, String owner, Clock clock) {
        return acquire(fs, file, ttl, owner, clock, ProcessIdentity.current());
    }

    /** As {@link #acquire(FileSystem, Path, Duration, String, Clock)} for the process {@code self}. */
    static Lease acquire(FileSystem fs, Path file, Duration ttl, String owner, Clock clock, ProcessIdentity self) {
        Instant now = clock.instant();
        LeaseInfo mine = new LeaseInfo(owner, self.host(), self.pid(), self.startedAt(), self.pidNamespace(), now.toString(),
                now.plus(ttl).toString(), UUID.randomUUID().toString());
        Path temporary = new Path(file.getParent(), "." + file.getName() + "-" + mine.token() + ".tmp");
        try {
            fs.mkdirs(file.getParent());
            try (OutputStream out = fs.create(temporary, false)) {
                Json.write(out, mine);
            }
            fs.setTimes(temporary, now.toEpochMilli(), -1);
            try {
                // A few rounds: a holder may release, or another taker clear a stale lease, in between.
                for (int round = 0; round < 3; round++) {
                    if (AtomicPublish.renameIfAbsent(fs, temporary, file)) {
                        Lease lease = new Lease(fs, file, mine, clock);
                        HELD.add(lease);
                        return lease;
                    }
                    LeaseInfo current = read(fs, file, ttl);
                    if (current == null) continue;
                    Optional<Instant> renewed = lastRenewal(fs, file);
                    if (renewed.isPresent() && !stale(current, renewed.get(), now))
                        throw new LeaseHeldException(file.toString(), current, heldBecause(current, renewed.get()));
                    takeOver(fs, file, current, ttl);
                }
                LeaseInfo current = read(fs, file, ttl);
                if (current == null) current = LeaseInfo.nobody("the lease came and went while taking it");
                throw new LeaseHeldException(file.toString(), current, "it changed hands while this process tried to"
                        + " take it; another retrain or registry change is starting");
            } finally {
                fs.delete(temporary, false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("lease " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The lease's holder, or null if there is none. A lease that cannot be parsed reads as
     * {@link LeaseInfo#unreadable}, with {@code term} as its term.
     */
    static LeaseInfo read(FileSystem fs, Path file, Duration term) throws IOException {
        LeaseInfo info;
        try (InputStream in = fs.open(file)) {
            info = Json.read(in, LeaseInfo.class);
        } catch (FileNotFoundException e) {
            return null;
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            return unreadable(fs, file, term, e.getOriginalMessage());
        }
        String problem = problem(info);
        return problem == null ? info : unreadable(fs, file, term, problem);
    }

    /** What makes parsed lease content unusable, or null if nothing does. */
    private static String problem(LeaseInfo info) {
        if (info == null) return "it holds no lease";
        if (info.token() == null || info.host() == null || info.acquired() == null || info.expiry() == null)
            return "token, host, acquired or expiry is missing";
        try {
            info.term();
            return null;
        } catch (java.time.format.DateTimeParseException e) {
            return "acquired or expiry is not an ISO-8601 instant";
        }
    }

    private static LeaseInfo unreadable(FileSystem fs, Path file, Duration term, String problem) throws IOException {
        Optional<Instant> written = lastRenewal(fs, file);
        return written.map(w -> LeaseInfo.unreadable(problem, w, term)).orElse(null);
    }

    /** The lease file's modification time, its last renewal; empty if the file is gone. */
    private static Optional<Instant> lastRenewal(FileSystem fs, Path file) throws IOException {
        try {
            return Optional.of(Instant.ofEpochMilli(fs.getFileStatus(file).getModificationTime()));
        } catch (FileNotFoundException gone) {
            return Optional.empty();
        }
    }

    /** The staleness rule of the class comment. */
    static boolean stale(LeaseInfo lease, Instant renewed, Instant now) {
        ProcessIdentity holder = lease.holder();
        if (holder.onThisHost()) return holder.provablyGone();
        return renewed.plus(lease.term()).isBefore(now);
    }

    private static String heldBecause(LeaseInfo lease, Instant renewed) {
        Instant takeOver = renewed.plus(lease.term());
        if (lease.isUnreadable())
            return "it does not parse, so by rule it counts as held until " + takeOver + " (registry.lease-seconds after"
                    + " it was last written), then it is taken over; delete it by hand if no retrain or registry change runs";
        if (lease.holder().onThisHost())
            return "that process is running on this host, so another retrain or registry change is in progress;"
                    + " try again when it ends";
        return "it was last renewed at " + renewed + "; another retrain or registry change is running on "
                + lease.host() + ". If that process is gone, the lease is taken over from " + takeOver;
    }

    private static void takeOver(FileSystem fs, Path file, LeaseInfo stale, Duration term) throws IOException {
        Path expired = new Path(file.getParent(), EXPIRED_PREFIX + stale.token());
        if (!AtomicPublish.renameIfAbsent(fs, file, expired)) return;
        LeaseInfo moved = read(fs, expired, term);
        if (moved != null && !moved.token().equals(stale.token())) {
            // Between reading the stale lease and moving it, its taker already replaced it: put the fresh one back.
            AtomicPublish.renameIfAbsent(fs, expired, file);
            return;
        }
        LOG.warn("took over the stale lease {} of {}", file, stale.describe());
    }

    /** How often a holder renews a lease of this term. */
    public static Duration renewalPeriod(Duration term) {
        Duration period = term.dividedBy(RENEWALS_PER_TERM);
        return period.compareTo(MIN_RENEWAL_PERIOD) < 0 ? MIN_RENEWAL_PERIOD : period;
    }

    /**
     * Releases every lease this process still holds: for a process that is being interrupted, whose
     * own code will not get to close them.
     */
    public static void releaseAllHeld() {
        for (Lease lease : List.copyOf(HELD)) {
            try {
                lease.close();
            } catch (RuntimeException e) {
                LOG.warn("could not release {}: {}", lease.file, e.getMessage());
            }
        }
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
            LeaseInfo current = read(fs, file, info.term());
            if (current != null && current.token().equals(info.token())) return;
            throw new LeaseHeldException(file.toString(), current != null ? current : LeaseInfo.nobody("the lease file is gone"),
                    "this process lost it: its renewals stopped for longer than registry.lease-seconds, and another"
                            + " process took it over");
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

    /** Renews the lease every {@link #renewalPeriod} of its term, see {@link #keepAlive(Duration)}. */
    public void keepAlive() {
        keepAlive(renewalPeriod(info.term()));
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
        HELD.remove(this);
        synchronized (this) {
            if (heartbeat != null) {
                heartbeat.shutdownNow();
                heartbeat = null;
            }
        }
        try {
            LeaseInfo current = read(fs, file, info.term());
            if (current != null && current.token().equals(info.token())) fs.delete(file, false);
            for (FileStatus s : fs.listStatus(file.getParent(), p -> p.getName().startsWith(EXPIRED_PREFIX)))
                fs.delete(s.getPath(), false);
        } catch (IOException e) {
            throw new UncheckedIOException("releasing lease " + file + ": " + e.getMessage(), e);
        }
    }
}
