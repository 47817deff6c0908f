package io.recur.cli;

import io.recur.config.Cell;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("the recur command line")
class MainTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream savedErr, savedOut;

    @BeforeEach
    void capture() {
        savedErr = System.err;
        savedOut = System.out;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(savedErr);
        System.setOut(savedOut);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsHelpForEverySubcommand() {
        for (String cmd : new String[]{"train", "evaluate", "predict", "generate"}) {
            assertEquals(ExitCodes.OK, Main.run(cmd, "--help"));
        }
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--set"));
    }

    @Test
    void helpNamesEveryCell() {
        assertEquals(ExitCodes.OK, Main.run("--help"));
        String recur = out.toString(StandardCharsets.UTF_8);
        out.reset();
        assertEquals(ExitCodes.OK, Main.run("bakeoff", "--help"));
        String bakeoff = out.toString(StandardCharsets.UTF_8);
        assertTrue(recur.replaceAll("\\s+", " ").contains("cells: " + Cell.ids()), recur);
        assertTrue(bakeoff.replaceAll("\\s+", " ").contains("list of " + Cell.ids()), bakeoff);
    }

    @Test
    void exitsWithTwoForAnUnknownOption() {
        assertEquals(ExitCodes.BAD_INPUT, Main.run("train", "--sett", "x=1", "jobs/default.conf"));
    }

    @Test
    void exitsWithTwoNamingAMissingJobFile() {
        assertEquals(ExitCodes.BAD_INPUT, Main.run("train", "jobs/no-such-job.conf"));
        assertTrue(stderr().contains("no-such-job.conf"), stderr());
    }

    @Test
    void exitsWithTwoNamingABadKeyBeforeSparkStarts() {
        assertEquals(ExitCodes.BAD_INPUT, Main.run("train", "jobs/default.conf", "--set", "model.cell=lsmt"));
        assertTrue(stderr().contains("model.cell"), stderr());
        assertFalse(stderr().contains("SparkContext"), "Spark should not have started: " + stderr());
    }

    @Test
    @Tag("spark")
    void exitsWithTwoNamingAMissingCorpusAndPublishesNothing(@TempDir Path output) throws IOException {
        int code = Main.run("train", "jobs/default.conf", "--master", "local[1]",
                "--set", "corpus.path=" + output.resolve("no-such-corpus.tsv"),
                "--set", "output.dir=" + output);
        assertEquals(ExitCodes.BAD_INPUT, code, stderr());
        assertTrue(stderr().contains("no-such-corpus.tsv"), stderr());
        try (var files = Files.walk(output)) {
            assertEquals(0, files.filter(p -> !Files.isDirectory(p) || p.getFileName().toString().startsWith(".incomplete")).count(),
                    "no file and no incomplete run may remain");
        }
    }

    @Test
    void exitsWithTwoForAModelDirectoryWithoutAModel(@TempDir Path empty) {
        assertEquals(ExitCodes.BAD_INPUT, Main.run("predict", "--model", empty.toString()));
        assertTrue(stderr().contains("model.zip"), stderr());
    }
}
