package io.recur.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.recur.storage.ProcessIdentity;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("RunDirectory on the local file system")
class RunDirectoryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path out;

    Path job() {
        return out.resolve("job");
    }

    RunDirectory create(String... ids) {
        Iterator<String> next = List.of(ids).iterator();
        return RunDirectory.create(out.toString(), "job", new Configuration(), next::next);
    }

    /** A hidden directory of the job as a run of {@code owner} leaves it, with one file in it. */
    Path leftover(String id, ProcessIdentity owner) throws IOException {
        Path hidden = Files.createDirectories(job().resolve(RunDirectory.INCOMPLETE_PREFIX + id));
        Files.writeString(hidden.resolve("model.zip"), "half");
        if (owner != null) JSON.writeValue(hidden.resolve(RunDirectory.OWNER).toFile(), owner);
        return hidden;
    }

    static ProcessIdentity goneProcess() throws Exception {
        Process p = new ProcessBuilder("sleep", "30").start();
        ProcessIdentity identity = new ProcessIdentity(ProcessIdentity.current().host(), p.pid(),
                p.toHandle().info().startInstant().map(Object::toString).orElse(null), ProcessIdentity.current().pidNamespace());
        p.destroy();
        p.waitFor();
        return identity;
    }

    @Nested
    @DisplayName("claiming a run id")
    class Claiming {
        @Test
        void writesAnOwnerFileNamingThisProcess() throws IOException {
            RunDirectory dir = create("a");
            ProcessIdentity owner = JSON.readValue(job().resolve(".incomplete-a/" + RunDirectory.OWNER).toFile(),
                    ProcessIdentity.class);
            assertEquals(ProcessIdentity.current(), owner);
            assertEquals("a", dir.runId());
        }

        @Test
        void takesAnotherIdWhenAnotherRunIsWritingThatId() throws IOException {
            Path other = leftover("a", ProcessIdentity.current());
            RunDirectory dir = create("a", "b");
            assertEquals("b", dir.runId());
            assertEquals("half", Files.readString(other.resolve("model.zip")), "the other run's files are untouched");
        }

        @Test
        void takesAnotherIdWhenARunWithThatIdWasPublished() throws IOException {
            Files.createDirectories(job().resolve("a"));
            assertEquals("b", create("a", "b").runId());
        }

        @Test
        void publishesWithoutTheOwnerFileAndWithTheManifest() throws IOException {
            RunDirectory dir = create("a");
            try (OutputStream o = dir.create("metrics.json")) {
                o.write('1');
            }
            dir.publish();
            assertEquals(List.of("manifest.json", "metrics.json"), names(job().resolve("a")));
        }
    }

    @Nested
    @DisplayName("leftovers of earlier runs")
    class Leftovers {
        @Test
        void areRemovedWhenTheirProcessOnThisHostIsGone() throws Exception {
            Path hidden = leftover("old", goneProcess());
            create("new");
            assertFalse(Files.exists(hidden));
        }

        @Test
        void stayWhileTheirProcessRuns() throws IOException {
            Path hidden = leftover("old", ProcessIdentity.current());
            create("new");
            assertTrue(Files.exists(hidden.resolve("model.zip")));
        }

        @Test
        void stayWhenTheirOwnerIsOnAnotherHost() throws IOException {
            Path hidden = leftover("old", new ProcessIdentity("another-host.example", 4242, null, null));
            create("new");
            assertTrue(Files.exists(hidden.resolve("model.zip")));
        }

        @Test
        void stayWhenTheyNameNoOwner() throws IOException {
            Path hidden = leftover("old", null);
            create("new");
            assertTrue(Files.exists(hidden.resolve("model.zip")));
        }
    }

    @Nested
    @DisplayName("a discarded run")
    class Discarded {
        @Test
        void removesTheJobDirectoryItMade() {
            create("a").discard();
            assertFalse(Files.exists(job()));
        }

        @Test
        void keepsAJobDirectoryThatWasThere() throws IOException {
            Files.createDirectories(job());
            create("a").discard();
            assertEquals(List.of(), names(job()));
        }

        @Test
        void keepsTheJobDirectoryWhenAnotherRunIsInIt() throws IOException {
            RunDirectory first = create("a");
            RunDirectory second = RunDirectory.create(out.toString(), "job", new Configuration(), () -> "b");
            first.discard();
            assertEquals(List.of(".incomplete-b"), names(job()));
            second.discard();
        }

        @Test
        void isGoneWhenAllUnpublishedRunsAreDiscardedAndCannotBePublished() {
            RunDirectory dir = create("a");
            List<org.apache.hadoop.fs.Path> discarded = RunDirectory.discardAllUnpublished();
            assertTrue(discarded.stream().anyMatch(p -> p.getName().equals(".incomplete-a")), discarded.toString());
            assertFalse(Files.exists(job().resolve(".incomplete-a")));
            assertThrows(UncheckedIOException.class, dir::publish);
            assertThrows(UncheckedIOException.class, () -> dir.create("late.json"));
            assertFalse(Files.exists(job().resolve(".incomplete-a")), "a late write does not bring the directory back");
        }
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
