package io.recur.run;

import io.recur.storage.Json;
import io.recur.train.EpochRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("metrics.json and training-log.jsonl as records")
class RunMetricsTest {
    private static final Path SAVED_RUNS = Path.of("src/test/resources/saved-runs");

    private static List<Path> savedRuns() throws IOException {
        try (Stream<Path> dirs = Files.list(SAVED_RUNS)) {
            List<Path> runs = dirs.filter(Files::isDirectory).sorted().toList();
            assertFalse(runs.isEmpty(), "no saved-run fixtures under " + SAVED_RUNS);
            return runs;
        }
    }

    @Test
    void readsTheMetricsAndLogOfEverySavedRunFixture() throws IOException {
        for (Path run : savedRuns()) {
            RunMetrics metrics;
            try (InputStream in = Files.newInputStream(run.resolve(RunMetrics.FILE))) {
                metrics = RunMetrics.read(in);
            }
            assertFalse(metrics.heldOut().isEmpty(), run + ": heldOut");
            assertTrue(metrics.training().epochs() > 0, run + ": training.epochs");
            List<EpochRecord> log;
            try (InputStream in = Files.newInputStream(run.resolve(TrainingLog.FILE))) {
                log = TrainingLog.read(in);
            }
            assertEquals(metrics.training().epochs(), log.size(), run + ": one log line per epoch");
        }
    }

    @Test
    void writesBackTheSameBytesItReadFromASavedRun() throws IOException {
        for (Path run : savedRuns()) {
            byte[] original = Files.readAllBytes(run.resolve(RunMetrics.FILE));
            ByteArrayOutputStream rewritten = new ByteArrayOutputStream();
            RunMetrics.read(new ByteArrayInputStream(original)).write(rewritten);
            assertEquals(new String(original, StandardCharsets.UTF_8).strip(),
                    rewritten.toString(StandardCharsets.UTF_8).strip(), run.toString());
        }
    }

    @Test
    void writesBackTheSameTrainingLogLinesItRead() throws IOException {
        for (Path run : savedRuns()) {
            byte[] original = Files.readAllBytes(run.resolve(TrainingLog.FILE));
            ByteArrayOutputStream rewritten = new ByteArrayOutputStream();
            TrainingLog.write(rewritten, TrainingLog.read(new ByteArrayInputStream(original)));
            assertEquals(Json.tree(new String(original, StandardCharsets.UTF_8).lines().findFirst().orElseThrow()),
                    Json.tree(rewritten.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow()), run.toString());
        }
    }

    @Test
    void refusesAFileWithoutHeldOutMetrics() {
        IOException e = assertThrows(IOException.class, () -> RunMetrics.read(
                new ByteArrayInputStream("{\"job\": \"x\"}".getBytes(StandardCharsets.UTF_8))));
        assertTrue(e.getMessage().contains("heldOut"), e.getMessage());
    }

    @Test
    void runDirectoryPageDocumentsEveryFieldOfTheRecord() throws IOException {
        String doc = Files.readString(Path.of("docs/run-directory.md"));
        String section = doc.substring(doc.indexOf("### `metrics.json`"));
        List<String> missing = new ArrayList<>();
        for (Class<?> type : List.of(RunMetrics.class, TrainingSummary.class, WarmStartRecord.class))
            for (RecordComponent c : type.getRecordComponents())
                if (!section.contains("`" + c.getName() + "`")) missing.add(type.getSimpleName() + "." + c.getName());
        assertEquals(List.of(), missing, "fields of metrics.json missing from docs/run-directory.md");
    }
}
