package io.recur.config;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("score's input: the run's corpus.* with --set of the input keys")
class ScoringInputTest {
    private static final JobSpec TEXT_RUN = JobSpecLoader.load(Path.of("src/test/resources/jobs/sms-slice.conf"), List.of());
    private static final JobSpec PARQUET_RUN = JobSpecLoader.load(Path.of("src/test/resources/jobs/sms-slice.conf"),
            List.of("corpus.source=parquet", "corpus.columns.text=message", "corpus.columns.label=label",
                    "corpus.columns.id=line", "corpus.where=\"dt > '2026'\""));

    @Test
    void readsTheRunsOwnContainerWhenNothingIsSet() {
        CorpusSpec read = JobSpecLoader.scoringInput(PARQUET_RUN, List.of());
        assertEquals(SourceFormat.PARQUET, read.source());
        assertEquals(new TableSpec("message", "", "", "", "line", "dt > '2026'", TableSpec.NONE.csv()), read.table());
    }

    @Test
    void anotherSourceStartsTheColumnsOver() {
        CorpusSpec read = JobSpecLoader.scoringInput(PARQUET_RUN, List.of("corpus.source=json", "corpus.columns.text=body"));
        assertEquals(SourceFormat.JSON, read.source());
        assertEquals(new TableSpec("body", "", "", "", "", "", TableSpec.NONE.csv()), read.table());
    }

    @Test
    void keepsTheRunsReadingRules() {
        CorpusSpec read = JobSpecLoader.scoringInput(TEXT_RUN, List.of("corpus.source=orc", "corpus.columns.text=t"));
        assertEquals(TEXT_RUN.corpus().tokenizer(), read.tokenizer());
        assertEquals(TEXT_RUN.corpus().maxSequenceLength(), read.maxSequenceLength());
    }

    @Test
    void refusesAKeyOfTheModel() {
        String m = assertThrows(SpecException.class,
                () -> JobSpecLoader.scoringInput(TEXT_RUN, List.of("corpus.tokenizer=char"))).getMessage();
        assertTrue(m.startsWith("--set corpus.tokenizer=char: score takes only the keys that say how its input is read"), m);
    }

    @Test
    void refusesATableWithoutATextColumn() {
        String m = assertThrows(SpecException.class,
                () -> JobSpecLoader.scoringInput(TEXT_RUN, List.of("corpus.source=parquet"))).getMessage();
        assertTrue(m.contains("corpus.source = parquet needs exactly one of corpus.columns.text and corpus.columns.tokens"), m);
    }
}
