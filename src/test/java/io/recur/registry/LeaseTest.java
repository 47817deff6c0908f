package io.recur.registry;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.recur.storage.ProcessIdentity;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Lease on the local file system")
class LeaseTest {
    private static final Duration HOUR = Duration.ofHours(1);
    /** A holder on another host: its pid says nothing here, only its renewals count. */
    private static final ProcessIdentity ELSEWHERE = new ProcessIdentity("another-host.example", 4242, null, null);
    @TempDir
    java.nio.file.Path dir;
    FileSystem fs;
    Path lease;

    @BeforeEach
    void rawLocalFileSystem() throws IOException {
        fs = ((LocalFileSystem) FileSystem.getLocal(new Configuration())).getRawFileSystem();
        lease = new Path(dir.toUri().toString(), "lease");
    }

    static Clock at(Instant t) {
        return Clock.fixed(t, ZoneOffset.UTC);
    }

    @Nested
    @DisplayName("held by a live process")
    class Held {
        @Test
        void refusesASecondHolderAndNamesTheFirst() {
            try (Lease first = Lease.acquire(fs, lease, HOUR, "alice (retrain)", Clock.systemUTC())) {
                LeaseHeldException e = assertThrows(LeaseHeldException.class,
                        () -> Lease.acquire(fs, lease, HOUR, "bob (retrain)", Clock.systemUTC()));
                assertEquals(first.info().token(), e.holder().token());
                assertTrue(e.getMessage().contains("alice (retrain)") && e.getMessage().contains(lease.toString()),
                        e.getMessage());
            }
        }

        @Test
        void leavesTheHoldersFileUnchangedWhenRefusing() throws IOException {
            try (Lease first = Lease.acquire(fs, lease, HOUR, "alice", Clock.systemUTC())) {
                byte[] before = Files.readAllBytes(dir.resolve("lease"));
                assertThrows(LeaseHeldException.class, () -> Lease.acquire(fs, lease, HOUR, "bob", Clock.systemUTC()));
                assertEquals(new String(before), Files.readString(dir.resolve("lease")));
                assertEquals(List.of("lease"), listing());
            }
        }

        @Test
        void isFreeAgainAfterRelease() {
            Lease.acquire(fs, lease, HOUR, "alice", Clock.systemUTC()).close();
            assertFalse(Files.exists(dir.resolve("lease")));
            try (Lease second = Lease.acquire(fs, lease, HOUR, "bob", Clock.systemUTC())) {
                assertEquals("bob", second.info().owner());
            }
        }
    }

    @Nested
    @DisplayName("held on another host, not renewed for its term")
    class Stale {
        @Test
        void isTakenOverByTheNextProcess() throws IOException {
            Instant then = Instant.parse("2026-01-01T00:00:00Z");
            Lease dead = Lease.acquire(fs, lease, HOUR, "crashed", at(then), ELSEWHERE);
            try (Lease taker = Lease.acquire(fs, lease, HOUR, "taker", at(then.plus(Duration.ofHours(2))))) {
                assertEquals(taker.info().token(), Lease.read(fs, lease, HOUR).token());
                assertNotEquals(dead.info().token(), taker.info().token());
            }
        }

        @Test
        void isNotReleasedByItsFormerHolder() throws IOException {
            Instant then = Instant.parse("2026-01-01T00:00:00Z");
            Lease dead = Lease.acquire(fs, lease, HOUR, "slow", at(then), ELSEWHERE);
            try (Lease taker = Lease.acquire(fs, lease, HOUR, "taker", at(then.plus(Duration.ofHours(2))))) {
                dead.close();
                assertEquals(taker.info().token(), Lease.read(fs, lease, HOUR).token());
            }
        }

        @Test
        void tellsItsFormerHolderThatItIsNoLongerHeld() {
            Instant then = Instant.parse("2026-01-01T00:00:00Z");
            Lease dead = Lease.acquire(fs, lease, HOUR, "slow", at(then), ELSEWHERE);
            try (Lease taker = Lease.acquire(fs, lease, HOUR, "taker", at(then.plus(Duration.ofHours(2))))) {
                taker.requireHeld();
                LeaseHeldException e = assertThrows(LeaseHeldException.class, dead::requireHeld);
                assertTrue(e.getMessage().contains("registry.lease-seconds") && e.getMessage().contains("lost it"),
                        e.getMessage());
            }
        }

        @Test
        void isHeldWithinItsTermThoughItsPidIsFreeHere() {
            Instant then = Instant.parse("2026-01-01T00:00:00Z");
            Lease.acquire(fs, lease, HOUR, "elsewhere", at(then), ELSEWHERE);
            LeaseHeldException e = assertThrows(LeaseHeldException.class,
                    () -> Lease.acquire(fs, lease, HOUR, "taker", at(then.plus(Duration.ofMinutes(59)))));
            assertTrue(e.getMessage().contains("another-host.example") && e.getMessage().contains("last renewed"),
                    e.getMessage());
        }

        @Test
        void leavesNoLeftoversOnceTheTakerReleases() throws IOException {
            Instant then = Instant.parse("2026-01-01T00:00:00Z");
            Lease.acquire(fs, lease, HOUR, "crashed", at(then), ELSEWHERE);
            Lease.acquire(fs, lease, HOUR, "taker", at(then.plus(Duration.ofHours(2)))).close();
            assertEquals(List.of(), listing());
        }
    }

    @Nested
    @DisplayName("renewed by its holder")
    class Renewed {
        final Instant then = Instant.parse("2026-01-01T00:00:00Z");

        @Test
        void isNotTakenOverAfterItsFirstExpiry() {
            MovingClock clock = new MovingClock(then);
            try (Lease holder = Lease.acquire(fs, lease, HOUR, "long training", clock, ELSEWHERE)) {
                clock.set(then.plus(Duration.ofMinutes(50)));
                holder.renew();
                assertThrows(LeaseHeldException.class,
                        () -> Lease.acquire(fs, lease, HOUR, "taker", at(then.plus(Duration.ofMinutes(90)))));
                holder.requireHeld();
            }
        }

        @Test
        void isTakenOverOnceRenewalsStopForATerm() throws IOException {
            MovingClock clock = new MovingClock(then);
            Lease hung = Lease.acquire(fs, lease, HOUR, "hung", clock, ELSEWHERE);
            clock.set(then.plus(Duration.ofMinutes(50)));
            hung.renew();
            try (Lease taker = Lease.acquire(fs, lease, HOUR, "taker", at(then.plus(Duration.ofMinutes(111))))) {
                assertEquals(taker.info().token(), Lease.read(fs, lease, HOUR).token());
            }
        }

        @Test
        void refusesToRenewALeaseTakenOver() {
            Lease dead = Lease.acquire(fs, lease, HOUR, "slow", at(then), ELSEWHERE);
            try (Lease taker = Lease.acquire(fs, lease, HOUR, "taker", at(then.plus(Duration.ofHours(2))))) {
                assertThrows(LeaseHeldException.class, dead::renew);
                taker.requireHeld();
            }
        }

        @Test
        void staysHeldPastItsTermWhileKeptAlive() throws InterruptedException {
            Duration term = Duration.ofSeconds(1);
            try (Lease holder = Lease.acquire(fs, lease, term, "holder", Clock.systemUTC(), ELSEWHERE)) {
                holder.keepAlive(Duration.ofMillis(200));
                Thread.sleep(2500);
                assertThrows(LeaseHeldException.class, () -> Lease.acquire(fs, lease, term, "taker", Clock.systemUTC()));
            }
        }
    }

    @Nested
    @DisplayName("held on this host")
    class ThisHost {
        final Instant then = Instant.parse("2026-01-01T00:00:00Z");

        @Test
        void isHeldWhileItsProcessRunsHoweverOld() {
            Lease.acquire(fs, lease, HOUR, "alive", at(then), ProcessIdentity.current());
            LeaseHeldException e = assertThrows(LeaseHeldException.class,
                    () -> Lease.acquire(fs, lease, HOUR, "taker", at(then.plus(Duration.ofDays(100)))));
            assertTrue(e.getMessage().contains("running on this host"), e.getMessage());
        }

        @Test
        void isTakenOverAtOnceWhenItsProcessIsGone() throws Exception {
            Process gone = new ProcessBuilder("sleep", "30").start();
            ProcessIdentity holder = ProcessIdentity.of(gone.toHandle()).orElseThrow();
            gone.destroy();
            gone.waitFor();
            Instant now = Instant.now();
            Lease.acquire(fs, lease, HOUR, "killed", at(now), holder);
            try (Lease taker = Lease.acquire(fs, lease, HOUR, "taker", at(now))) {
                assertEquals(taker.info().token(), Lease.read(fs, lease, HOUR).token());
            }
        }

        @Test
        void isTakenOverAtOnceWhenItsPidBelongsToAProcessStartedLater() throws IOException {
            ProcessIdentity self = ProcessIdentity.current();
            ProcessIdentity earlier = new ProcessIdentity(self.host(), self.pid(),
                    Instant.parse(self.startedAt()).minus(HOUR).toString(), self.pidNamespace());
            Instant now = Instant.now();
            Lease.acquire(fs, lease, HOUR, "pid reused", at(now), earlier);
            try (Lease taker = Lease.acquire(fs, lease, HOUR, "taker", at(now))) {
                assertEquals(taker.info().token(), Lease.read(fs, lease, HOUR).token());
            }
        }
    }

    @Nested
    @DisplayName("held on this host's name in another pid namespace (another container)")
    class OtherPidNamespace {
        @Test
        void isHeldWithinItsTermThoughItsPidIsFreeHere() {
            ProcessIdentity self = ProcessIdentity.current();
            ProcessIdentity container = new ProcessIdentity(self.host(), 999_999_999L, null, "pid:[1]");
            Instant now = Instant.now();
            Lease.acquire(fs, lease, HOUR, "container", at(now), container);
            assertThrows(LeaseHeldException.class,
                    () -> Lease.acquire(fs, lease, HOUR, "taker", at(now.plus(Duration.ofMinutes(59)))));
        }
    }

    @Nested
    @DisplayName("that does not parse")
    class Unreadable {
        @Test
        void isRefusedWhileYoungNamingTheFileAndTheRule() throws IOException {
            Files.writeString(dir.resolve("lease"), "garbage {");
            LeaseHeldException e = assertThrows(LeaseHeldException.class,
                    () -> Lease.acquire(fs, lease, HOUR, "taker", Clock.systemUTC()));
            assertTrue(e.getMessage().contains(lease.toString()) && e.getMessage().contains("does not parse")
                    && e.getMessage().contains("taken over"), e.getMessage());
            assertEquals("garbage {", Files.readString(dir.resolve("lease")));
        }

        @Test
        void isTakenOverOnceNotWrittenForATerm() throws IOException {
            Files.writeString(dir.resolve("lease"), "garbage {");
            Files.setLastModifiedTime(dir.resolve("lease"),
                    java.nio.file.attribute.FileTime.from(Instant.now().minus(Duration.ofHours(2))));
            try (Lease taker = Lease.acquire(fs, lease, HOUR, "taker", Clock.systemUTC())) {
                assertEquals(taker.info().token(), Lease.read(fs, lease, HOUR).token());
            }
        }

        @Test
        void withFieldsMissingCountsAsUnreadable() throws IOException {
            Files.writeString(dir.resolve("lease"), "{\"owner\": \"half\"}");
            LeaseHeldException e = assertThrows(LeaseHeldException.class,
                    () -> Lease.acquire(fs, lease, HOUR, "taker", Clock.systemUTC()));
            assertTrue(e.getMessage().contains("does not parse") && e.getMessage().contains("missing"), e.getMessage());
        }
    }

    /** A clock the test moves: the lease renews at whatever time its holder's clock says. */
    static final class MovingClock extends Clock {
        private volatile Instant now;

        MovingClock(Instant now) {
            this.now = now;
        }

        void set(Instant t) {
            now = t;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @Test
    @DisplayName("eight threads racing for a free lease: exactly one wins")
    void exactlyOneOfRacingThreadsWins() throws Exception {
        assertExactlyOneWinner(() -> Lease.acquire(fs, lease, HOUR, "racer", Clock.systemUTC()));
    }

    @Test
    @DisplayName("eight threads racing to take over a stale lease: exactly one wins")
    void exactlyOneOfRacingTakersWins() throws Exception {
        Instant then = Instant.parse("2026-01-01T00:00:00Z");
        Lease.acquire(fs, lease, HOUR, "crashed", at(then), ELSEWHERE);
        assertExactlyOneWinner(() -> Lease.acquire(fs, lease, HOUR, "taker", at(then.plus(Duration.ofHours(2)))));
    }

    /** Runs the acquisition on eight threads released at once; none releases, so a second winner would show. */
    static void assertExactlyOneWinner(java.util.concurrent.Callable<Lease> acquire) throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Lease>> futures = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            futures.add(pool.submit(() -> {
                start.await();
                return acquire.call();
            }));
        }
        start.countDown();
        int winners = 0;
        int held = 0;
        for (Future<Lease> f : futures) {
            try {
                f.get();
                winners++;
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof LeaseHeldException)) throw e;
                held++;
            }
        }
        pool.shutdown();
        assertEquals(1, winners, "winners");
        assertEquals(threads - 1, held, "refused with LeaseHeldException");
    }

    private List<String> listing() throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
