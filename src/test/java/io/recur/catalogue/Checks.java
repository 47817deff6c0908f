package io.recur.catalogue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checks rows state about what a command left behind. */
public final class Checks {
    private Checks() {}

    /** No run directory (nor anything else) under the workspace's output directory. */
    public static BadInput.Check nothingPublished() {
        return (ws, outcome) -> {
            Path out = ws.output();
            if (!Files.exists(out)) return;
            try (Stream<Path> files = Files.walk(out)) {
                List<Path> left = files.filter(p -> !Files.isDirectory(p)).toList();
                assertEquals(List.of(), left, "nothing may be published under " + out);
            }
        };
    }

    /** Exactly one published run of the workspace's job, holding a model. */
    public static BadInput.Check onePublishedRun() {
        return (ws, outcome) -> {
            Path run = ws.publishedRun();
            assertTrue(Files.exists(run.resolve("model.zip")), "the published run has a model: " + run);
        };
    }

    /** stdout has exactly {@code n} lines. */
    public static BadInput.Check stdoutLines(int n) {
        return (ws, outcome) -> assertEquals(n, outcome.stdoutLines().size(), () -> "stdout lines:\n" + outcome.stdout());
    }

    /** stdout contains {@code text}. */
    public static BadInput.Check stdoutContains(String text) {
        return (ws, outcome) -> assertTrue(outcome.stdout().contains(text), () -> "stdout should contain '" + text
                + "':\n" + outcome.stdout());
    }
}
