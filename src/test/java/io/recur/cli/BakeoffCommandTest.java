package io.recur.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Input errors of {@code recur bakeoff}: all found before Spark starts, exit code 2, message naming the key. */
@DisplayName("recur bakeoff with bad input")
class BakeoffCommandTest {
    private static final String JOB = "jobs/long-range-bakeoff.conf";
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedErr;
    @TempDir
    Path output;

    @BeforeEach
    void capture() {
        savedErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(savedErr);
    }

    private int run(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "bakeoff";
        all[1] = JOB;
        all[2] = "--set=output.dir=" + output;
        System.arraycopy(args, 0, all, 3, args.length);
        return Main.run(all);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void rejectsAnUnknownCellNamingIt() {
        assertEquals(ExitCodes.BAD_INPUT, run("--cells", "rnn,lstn"));
        assertTrue(stderr().contains("--cells rnn,lstn: 'lstn' is not a cell"), stderr());
    }

    @Test
    void rejectsAnUnknownSweptKeySuggestingTheKnownOne() {
        assertEquals(ExitCodes.BAD_INPUT, run("--sweep", "synthetic.step=10,20"));
        assertTrue(stderr().contains("synthetic.step is not a job spec key; did you mean synthetic.steps?"), stderr());
    }

    @Test
    void rejectsASweepWithoutValues() {
        assertEquals(ExitCodes.BAD_INPUT, run("--sweep", "synthetic.steps"));
        assertTrue(stderr().contains("--sweep synthetic.steps: expected KEY=V1,V2"), stderr());
    }

    @Test
    void rejectsAnEmptyValueNamingTheKey() {
        assertEquals(ExitCodes.BAD_INPUT, run("--sweep", "synthetic.steps=10,,20"));
        assertTrue(stderr().contains("synthetic.steps has an empty value"), stderr());
    }

    @Test
    void rejectsAValueTheKeyDoesNotAcceptNamingKeyAndValue() {
        assertEquals(ExitCodes.BAD_INPUT, run("--sweep", "synthetic.steps=10,1"));
        assertTrue(stderr().contains("synthetic.steps = 1 does not make a valid job"), stderr());
        assertFalse(Files.exists(output.resolve("long-range-bakeoff")), "nothing is written before the specs are checked");
    }

    @Test
    void rejectsSweepingTheHiddenSizeWhichTheMatchingRuleSets() {
        assertEquals(ExitCodes.BAD_INPUT, run("--sweep", "model.hidden-size=16,32"));
        assertTrue(stderr().contains("model.hidden-size cannot be swept"), stderr());
    }

    @Test
    void rejectsABadBakeoffSectionNamingFileAndKey() {
        assertEquals(ExitCodes.BAD_INPUT, run("--set", "bakeoff.cells=[rnn, rnn]"));
        assertTrue(stderr().contains("bakeoff.cells"), stderr());
        assertTrue(stderr().contains("rnn is listed twice"), stderr());
    }

    @Test
    void rejectsZeroSeedsNamingTheOption() {
        assertEquals(ExitCodes.BAD_INPUT, run("--seeds", "0"));
        assertTrue(stderr().startsWith("recur: --seeds 0: expected a whole number in [1, 100]"), stderr());
        assertFalse(Files.exists(output.resolve("long-range-bakeoff")), "nothing is written");
    }

    @Test
    void rejectsAFractionalSeedsKeyNamingIt() {
        assertEquals(ExitCodes.BAD_INPUT, run("--set", "bakeoff.seeds=2.5"));
        assertTrue(stderr().contains("bakeoff.seeds"), stderr());
        assertTrue(stderr().contains("expected a whole number"), stderr());
    }

    @Test
    void rejectsSweepingTheSeedWhichTheBakeoffCountsItself() {
        assertEquals(ExitCodes.BAD_INPUT, run("--sweep", "job.seed=1,2"));
        assertTrue(stderr().contains("job.seed cannot be swept: the bake-off runs every member with job.seed, job.seed + 1"),
                stderr());
    }
}
