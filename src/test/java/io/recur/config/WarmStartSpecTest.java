package io.recur.config;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("warm-start.* and the model-defining spec text")
class WarmStartSpecTest {
    private static final String LM = """
            job.task = lm
            corpus.path = "x.txt"
            """;

    private static JobSpec load(String text) {
        return JobSpecLoader.fromResolvedText(text, "warm.conf");
    }

    @Test
    void defaultsToTheAutoPolicyWithAFivePercentLimitAndNoNewLabels() {
        assertEquals(new WarmStartSpec(VocabPolicy.AUTO, 0.05, false), load(LM).warmStart());
    }

    @Test
    void readsThePolicyCaseInsensitively() {
        assertEquals(VocabPolicy.FROZEN, load(LM + "warm-start.vocab-policy = FROZEN\n").warmStart().vocabPolicy());
    }

    @Test
    void rejectsAnOovRateAboveOneNamingTheKey() {
        var e = assertThrows(SpecException.class, () -> load(LM + "warm-start.max-oov-rate = 1.5\n"));
        assertTrue(e.getMessage().contains("warm-start.max-oov-rate"), e.getMessage());
    }

    @Test
    void trainingTextIgnoresWhereTheRunWritesAndRuns() {
        assertEquals(load(LM).trainingText(),
                load(LM + "output.dir = \"/elsewhere\"\nspark.master = \"local[1]\"\n").trainingText());
    }

    @Test
    void trainingTextFollowsTheModel() {
        assertNotEquals(load(LM).trainingText(), load(LM + "model.hidden-size = 64\n").trainingText());
    }
}
