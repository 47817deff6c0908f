package io.recur.registry;

import io.recur.config.UserInputException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Registry on the local file system")
class RegistryTest {
    @TempDir
    java.nio.file.Path root;
    Registry registry;

    @BeforeEach
    void openEmpty() {
        registry = Registry.open(root.toString(), "spam", new Configuration());
    }

    /** A staged "run directory" with a model file, as TrainJob would leave it in the staging area. */
    Path stagedRun(String content) throws IOException {
        java.nio.file.Path run = Files.createDirectories(
                root.resolve("spam/.staging/runs/job/run-" + System.nanoTime()));
        Files.writeString(run.resolve("model.zip"), content);
        return new Path(run.toUri());
    }

    static Lineage draft(Outcome outcome, String parent) {
        return new Lineage(null, "spam", parent, outcome, "because", null, "0.1", "abc", "run-1", Map.of(),
                null, null, new CorpusFingerprint("d", List.of()));
    }

    String publish(Outcome outcome) throws IOException {
        return registry.publish(stagedRun(outcome.label()), draft(outcome, registry.champion().orElse(null)));
    }

    @Nested
    @DisplayName("publishing")
    class Publishing {
        @Test
        void numbersVersionsFromOne() throws IOException {
            assertEquals("v000001", publish(Outcome.PROMOTED));
            assertEquals("v000002", publish(Outcome.REJECTED));
            assertEquals(List.of("v000001", "v000002"), registry.versions());
        }

        @Test
        void movesTheRunAndWritesItsLineage() throws IOException {
            Path run = stagedRun("weights");
            String v = registry.publish(run, draft(Outcome.PROMOTED, null));
            assertEquals("weights", Files.readString(root.resolve("spam").resolve(v).resolve("model.zip")));
            assertFalse(Files.exists(java.nio.file.Path.of(run.toUri())));
            Lineage lineage = registry.lineage(v);
            assertEquals(v, lineage.version());
            assertEquals(Outcome.PROMOTED, lineage.outcome());
            assertTrue(lineage.createdAt().startsWith("20"), lineage.createdAt());
        }

        @Test
        void recordsAFailedTrainingAsAVersionWithOnlyItsLineage() throws IOException {
            String v = registry.publish(null, draft(Outcome.FAILED, null));
            try (var files = Files.list(root.resolve("spam").resolve(v))) {
                assertEquals(List.of(Registry.LINEAGE), files.map(p -> p.getFileName().toString()).toList());
            }
        }

        @Test
        void neverListsTheStagingArea() throws IOException {
            stagedRun("unfinished");
            assertEquals(List.of(), registry.versions());
        }

        @Test
        void neverReusesTheNumberOfAPrunedVersion() throws IOException {
            for (int i = 0; i < 3; i++) publish(Outcome.REJECTED);
            registry.prune(1);
            assertEquals("v000004", publish(Outcome.REJECTED));
        }
    }

    @Nested
    @DisplayName("the champion")
    class Champion {
        @Test
        void isAbsentBeforeAnyPromotion() throws IOException {
            publish(Outcome.REJECTED);
            assertTrue(registry.champion().isEmpty());
        }

        @Test
        void followsPromotions() throws IOException {
            registry.promote(publish(Outcome.PROMOTED), "first");
            String v2 = publish(Outcome.PROMOTED);
            registry.promote(v2, "better");
            assertEquals(v2, registry.champion().orElseThrow());
            assertEquals(List.of("v000001", "v000002"), registry.championPointer().orElseThrow().history());
        }

        @Test
        void rollsBackToThePreviousChampion() throws IOException {
            registry.promote(publish(Outcome.PROMOTED), "first");
            registry.promote(publish(Outcome.PROMOTED), "second");
            registry.rollback("by hand");
            assertEquals("v000001", registry.champion().orElseThrow());
            assertEquals(List.of("v000001", "v000002"), registry.championPointer().orElseThrow().everChampion());
        }

        @Test
        void rollsBackStepByStepThroughTheHistory() throws IOException {
            for (int i = 0; i < 3; i++) registry.promote(publish(Outcome.PROMOTED), "promotion " + i);
            assertEquals("v000002", registry.rollback("once").version());
            assertEquals("v000001", registry.rollback("twice").version());
            UserInputException e = assertThrows(UserInputException.class, () -> registry.rollback("thrice"));
            assertTrue(e.getMessage().contains("no earlier one"), e.getMessage());
            assertEquals("v000001", registry.champion().orElseThrow());
        }

        @Test
        void refusesAModelNameThatLeavesTheRoot() {
            UserInputException e = assertThrows(UserInputException.class,
                    () -> Registry.open(root.toString(), "../escape", new Configuration()));
            assertTrue(e.getMessage().contains("'../escape' is not a model name"), e.getMessage());
        }

        @Test
        void refusesToRollBackTheFirstChampion() throws IOException {
            registry.promote(publish(Outcome.PROMOTED), "first");
            UserInputException e = assertThrows(UserInputException.class, () -> registry.rollback("by hand"));
            assertTrue(e.getMessage().contains("v000001"), e.getMessage());
        }

        @Test
        void refusesToPromoteAVersionWithoutAModel() {
            String failed = registry.publish(null, draft(Outcome.FAILED, null));
            UserInputException e = assertThrows(UserInputException.class, () -> registry.promote(failed, "by hand"));
            assertTrue(e.getMessage().contains(failed) && e.getMessage().contains("no model"), e.getMessage());
        }

        @Test
        void refusesAnUnknownVersionNamingTheExistingOnes() throws IOException {
            publish(Outcome.PROMOTED);
            UserInputException e = assertThrows(UserInputException.class, () -> registry.promote("v000009", "x"));
            assertTrue(e.getMessage().contains("[v000001]"), e.getMessage());
        }

        @Test
        void deletesSupersededPointerFilesOnceTheyAreAMinuteOld() throws IOException {
            String v1 = publish(Outcome.PROMOTED);
            for (int i = 0; i < 3; i++) registry.promote(v1, "again " + i);
            Registry later = Registry.open(root.toString(), "spam", new Configuration(),
                    Clock.offset(Clock.systemUTC(), Duration.ofMinutes(2)));
            later.promote(v1, "a while later");
            try (var files = Files.list(root.resolve("spam"))) {
                assertEquals(List.of("champion-000003.json", "champion-000004.json"),
                        files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("champion")).sorted().toList());
            }
        }

        @Test
        void isAlwaysReadableWhileItChanges() throws Exception {
            String v1 = publish(Outcome.PROMOTED);
            String v2 = publish(Outcome.PROMOTED);
            registry.promote(v1, "first");
            AtomicBoolean done = new AtomicBoolean();
            AtomicReference<Throwable> readerFailure = new AtomicReference<>();
            List<String> seen = new ArrayList<>();
            Thread reader = new Thread(() -> {
                Registry other = Registry.open(root.toString(), "spam", new Configuration());
                try {
                    while (!done.get()) seen.add(other.champion().orElse("none"));
                } catch (Throwable t) {
                    readerFailure.set(t);
                }
            });
            reader.start();
            for (int i = 0; i < 200; i++) registry.promote(i % 2 == 0 ? v2 : v1, "flip " + i);
            done.set(true);
            reader.join();
            assertNull(readerFailure.get());
            assertTrue(seen.stream().allMatch(v -> v.equals(v1) || v.equals(v2)), "a reader saw no or another champion");
        }
    }

    @Nested
    @DisplayName("retention")
    class Retention {
        @Test
        void keepsTheNewestVersionsAndEveryChampion() throws IOException {
            String v1 = publish(Outcome.PROMOTED);
            registry.promote(v1, "first");
            for (int i = 0; i < 4; i++) publish(Outcome.REJECTED);
            String v6 = publish(Outcome.PROMOTED);
            registry.promote(v6, "better");
            registry.rollback("by hand");
            for (int i = 0; i < 2; i++) publish(Outcome.REJECTED);

            List<String> deleted = registry.prune(2);

            assertEquals(List.of("v000002", "v000003", "v000004", "v000005"), deleted);
            assertEquals(List.of("v000001", "v000006", "v000007", "v000008"), registry.versions());
        }

        @Test
        void leavesNoHiddenLeftovers() throws IOException {
            for (int i = 0; i < 3; i++) publish(Outcome.REJECTED);
            registry.prune(1);
            try (var files = Files.list(root.resolve("spam"))) {
                assertEquals(List.of(".staging", "v000003"), files.map(p -> p.getFileName().toString()).sorted().toList());
            }
        }
    }

    @Test
    void replacesTheResultFile() throws IOException {
        registry.writeResult(Map.of("status", "promoted"));
        registry.writeResult(Map.of("status", "unchanged"));
        assertTrue(Files.readString(root.resolve("spam/result.json")).contains("unchanged"));
    }

    @Test
    void requiresARegistryDirectory() {
        UserInputException e = assertThrows(UserInputException.class, () -> Registry.open("", "spam", new Configuration()));
        assertTrue(e.getMessage().contains("registry.dir"), e.getMessage());
    }
}
