package io.recur.config;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("job specs of the synthetic tasks")
class SyntheticSpecTest {
    static final String ADDING = """
            job.task = sequence-regression
            model.embedding-size = 0
            synthetic { steps = 10, train-examples = 200, validation-examples = 20, test-examples = 30 }
            """;

    static JobSpec load(String text) {
        return JobSpecLoader.fromResolvedText(text, "synthetic.conf");
    }

    @Nested
    @DisplayName("accepts")
    class Accepts {
        @Test
        void anAddingSpecWithoutCorpusPath() {
            JobSpec spec = load(ADDING);
            assertEquals(Task.SEQUENCE_REGRESSION, spec.task());
            assertEquals(List.of(), spec.corpus().paths());
            assertEquals(new SyntheticSpec(10, 200, 20, 30), spec.synthetic());
        }

        @Test
        void aCopySpecWithTheDefaultSizes() {
            JobSpec spec = load("job.task = sequence-copy\nmodel.embedding-size = 0\n");
            assertEquals(Task.SEQUENCE_COPY, spec.task());
            assertEquals(50, spec.synthetic().steps());
        }

        @Test
        void theSavedResolvedTextAsAnEqualSpec() {
            JobSpec spec = load(ADDING);
            assertEquals(spec, load(spec.resolvedText()));
        }
    }

    @Nested
    @DisplayName("rejects, naming the key")
    class Rejects {
        @Test
        void aCorpusPath() {
            SpecException e = assertThrows(SpecException.class, () -> load(ADDING + "corpus.path = \"x.txt\"\n"));
            assertTrue(e.getMessage().contains("synthetic.conf:4: corpus.path is set"), e.getMessage());
        }

        @Test
        void anEmbedding() {
            SpecException e = assertThrows(SpecException.class, () -> load("job.task = sequence-copy\n"));
            assertTrue(e.getMessage().contains("model.embedding-size = 64") && e.getMessage()
                    .contains("set model.embedding-size = 0"), e.getMessage());
        }

        @Test
        void aBidirectionalNetwork() {
            SpecException e = assertThrows(SpecException.class,
                    () -> load(ADDING + "model.bidirectional = true\n"));
            assertTrue(e.getMessage().contains("synthetic.conf:4: model.bidirectional = true"), e.getMessage());
        }

        @Test
        void tooFewSteps() {
            SpecException e = assertThrows(SpecException.class, () -> load(ADDING + "synthetic.steps = 1\n"));
            assertTrue(e.getMessage().contains("synthetic.steps = 1"), e.getMessage());
        }

        @Test
        void aCorpusTaskWithoutCorpusPath() {
            SpecException e = assertThrows(SpecException.class, () -> load("job.task = lm\n"));
            assertTrue(e.getMessage().contains("corpus.path is missing"), e.getMessage());
        }

        @Test
        void aRecordWithCorpusPathsForASyntheticTask() {
            JobSpec spec = load(ADDING);
            CorpusSpec withPath = spec.corpus().withPaths(List.of("x.txt"));
            assertThrows(IllegalArgumentException.class, () -> new JobSpec(spec.name(), spec.task(), spec.seed(),
                    withPath, spec.split(), spec.vocab(), spec.model(), spec.train(), spec.output(), spec.spark(),
                    spec.synthetic(), spec.warmStart(), spec.registry(), spec.eval(), spec.resolvedText(), spec.origin()));
        }
    }
}
