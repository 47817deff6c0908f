package io.recur.export;

import io.recur.config.Task;
import io.recur.run.SavedRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every cell, task, direction and input kind recur builds, exported and run in ONNX Runtime, against
 * recur's own output on a padded, masked batch of lengths 1 to 7 over a Hangul character vocabulary.
 */
@DisplayName("ONNX export run in ONNX Runtime")
class OnnxParityTest {
    /** float32 tolerance on probabilities (issue 17). */
    private static final double TOLERANCE = 1e-5;
    private static final Map<String, Double> FIGURES = new TreeMap<>();

    static List<ExportedRuns.Combination> combinations() {
        return ExportedRuns.combinations();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("combinations")
    @DisplayName("gives recur's probabilities within 1e-5")
    void givesRecursProbabilities(ExportedRuns.Combination c, @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        SavedRun run = ExportedRuns.run(c, 11);
        Path out = OnnxExport.write(run, "test", dir.resolve("export"));
        ExportedRuns.Outputs outputs = ExportedRuns.outputs(run, Files.readAllBytes(out.resolve(OnnxExport.MODEL)),
                ExportedRuns.examples(run, 5));
        double diff = outputs.maxAbsDiff();
        FIGURES.put(c.toString(), diff);
        assertTrue(diff <= TOLERANCE, c + ": max |recur - onnx| = " + diff);
        if (c.task() == Task.CLASSIFY) assertTrue(outputs.recur().length == 7, "all seven examples compared");
    }

    @AfterAll
    static void printFigures() {
        FIGURES.forEach((k, v) -> System.out.printf(Locale.ROOT, "onnx parity %-36s max |diff| %.2e%n", k, v));
    }
}
