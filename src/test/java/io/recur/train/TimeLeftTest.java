package io.recur.train;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Time-left estimates from timed rounds: a slow first round (job start-up) must not be extrapolated. */
@DisplayName("TimeLeft")
class TimeLeftTest {
    private static final long S = 1_000_000_000L;

    /** 3 epochs of 10 rounds: the first round of the first epoch takes 10 s, every other round 1 s. */
    private static TimeLeft afterRounds(int rounds) {
        TimeLeft t = new TimeLeft(3, 10);
        t.epochStarted(1, 0);
        for (int r = 1; r <= rounds; r++) t.roundEnded((10 + (r - 1)) * S);
        return t;
    }

    @Test
    void thereIsNoEstimateAfterOnlyTheFirstRound() {
        assertTrue(afterRounds(1).seconds(10 * S).isEmpty());
    }

    @Test
    void laterRoundsPredictTheRestWithoutTheStartUpRound() {
        // 7 rounds of this epoch left at 1 s, then 2 epochs of 10 s start-up + 9 s.
        assertEquals(7 + 2 * 19, afterRounds(3).seconds(12 * S).getAsDouble(), 1e-9);
    }

    @Test
    void aMeasuredEpochPredictsTheLaterOnes() {
        TimeLeft t = afterRounds(10);
        t.epochEnded(19.0);
        t.epochStarted(2, 19 * S);
        t.roundEnded(20 * S);
        // Epoch 2 has had only its first round: the rest of it is what epoch 1 took minus the elapsed second.
        assertEquals(18 + 19, t.seconds(20 * S).getAsDouble(), 1e-9);
    }

    @Test
    void theLastRoundOfTheLastEpochLeavesNothing() {
        TimeLeft t = new TimeLeft(1, 2);
        t.epochStarted(1, 0);
        t.roundEnded(5 * S);
        t.roundEnded(6 * S);
        assertEquals(0.0, t.seconds(6 * S).getAsDouble(), 1e-9);
    }

    @Test
    void theStatusSaysEstimatingRatherThanAGuess() {
        assertEquals("estimating time left", TrainingProgress.format(OptionalDouble.empty()));
        assertEquals("1m05s left", TrainingProgress.format(OptionalDouble.of(65)));
    }
}
