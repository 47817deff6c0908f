package io.recur.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The gate a job's output goes through, so that nothing follows the interruption's line. */
class InterruptionGateTest {
    private final ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    private final Interruption.Gate gate = new Interruption.Gate(new PrintStream(terminal, true, StandardCharsets.UTF_8));
    private final PrintStream jobsStream = new PrintStream(gate, true, StandardCharsets.UTF_8);

    private String printed() {
        return terminal.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }

    @Test
    void aLineTheJobPrintsAfterTheInterruptionIsDropped() {
        jobsStream.println("epoch 1/9");
        gate.closeWith("recur: interrupted (SIGINT)\n");
        jobsStream.println("epoch 2/9");
        assertEquals("epoch 1/9\nrecur: interrupted (SIGINT)\n", printed());
    }

    @Test
    void theInterruptionStartsItsOwnLineAfterAHalfWrittenOne() {
        jobsStream.print("epoch 1/9 [####");
        gate.closeWith("recur: interrupted (SIGTERM)\n");
        assertEquals("epoch 1/9 [####\nrecur: interrupted (SIGTERM)\n", printed());
    }
}
