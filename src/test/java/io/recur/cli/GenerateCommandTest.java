package io.recur.cli;

import io.recur.job.UntrainedRuns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("recur generate")
class GenerateCommandTest {
    private static final List<String> CHARS = List.of("c", "a", "l", " ", "m", "e", "고", "래");
    @TempDir
    static Path runs;
    static String languageModel, classifier;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut, savedErr;

    @BeforeAll
    static void publishRuns() {
        languageModel = UntrainedRuns.publish(UntrainedRuns.languageModel(CHARS), runs);
        classifier = UntrainedRuns.publish(UntrainedRuns.classifier(CHARS), runs);
    }

    @BeforeEach
    void capture() {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(savedOut);
        System.setErr(savedErr);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsThePromptWithItsContinuationOnOneLine() {
        assertEquals(ExitCodes.OK, Main.run("generate", "--model", languageModel, "--prompt", "고래", "--length", "30"));
        assertTrue(stdout().startsWith("고래"), stdout());
        assertEquals(1, stdout().lines().count(), stdout());
    }

    @Test
    void printsTheSameTextForTheSameSeed() {
        String[] args = {"generate", "--model", languageModel, "--prompt", "cal", "--seed", "42", "--top-k", "5"};
        Main.run(args);
        String first = stdout();
        out.reset();
        Main.run(args);
        assertEquals(first, stdout());
        assertNotEquals("", first.strip());
    }

    @Test
    void exitsWithTwoForAClassifierNamingTheTask() {
        assertEquals(ExitCodes.BAD_INPUT, Main.run("generate", "--model", classifier, "--prompt", "x"));
        assertTrue(stderr().contains("job.task = classify"), stderr());
    }

    @Test
    void exitsWithTwoForANegativeTemperatureNamingTheOption() {
        assertEquals(ExitCodes.BAD_INPUT, Main.run("generate", "--model", languageModel, "--temperature", "-1"));
        assertTrue(stderr().contains("--temperature"), stderr());
    }

    @Test
    void exitsWithTwoForALengthThatIsNotANumber() {
        assertEquals(ExitCodes.BAD_INPUT, Main.run("generate", "--model", languageModel, "--length", "ten"));
        assertTrue(stderr().contains("--length"), stderr());
    }
}
