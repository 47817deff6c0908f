package io.recur.config;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The records' own invariants, for code that builds specs without the loader. */
@DisplayName("spec records")
class SpecRecordsTest {
    private static final String LM_SPEC = "corpus.path = x\njob.task = lm";

    @Nested
    @DisplayName("reject in their constructors")
    class Reject {
        @Test
        void aBlankCorpusPath() {
            assertThrows(IllegalArgumentException.class, () -> new CorpusSpec(List.of(" "), CorpusFormat.TEXT,
                    TokenizerKind.CHAR, false, 200, 0.01));
        }

        @Test
        void aCorpusTaskWithAnEmptyCorpusPathList() {
            // The record allows no paths for the synthetic tasks; the job spec insists on them for the others.
            JobSpec lm = JobSpecLoader.fromResolvedText(LM_SPEC, "test");
            CorpusSpec noPaths = lm.corpus().withPaths(List.of());
            assertThrows(IllegalArgumentException.class, () -> new JobSpec(lm.name(), lm.task(), lm.seed(),
                    noPaths, lm.split(), lm.vocab(), lm.model(), lm.train(), lm.output(), lm.spark(), lm.synthetic(),
                    lm.warmStart(), lm.registry(), lm.eval(), lm.resolvedText(), lm.origin()));
        }

        @Test
        void splitFractionsThatDoNotSumToOne() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new SplitSpec(0.8, 0.1, 0.2));
            assertTrue(e.getMessage().contains("sum to 1"), e.getMessage());
        }

        @Test
        void moreLayersThanAllowed() {
            assertThrows(IllegalArgumentException.class, () -> new ModelSpec(Cell.GRU, ModelSpec.MAX_LAYERS + 1,
                    128, 64, false, 0, 0, 1, UpdaterKind.ADAM, 0.005));
        }

        @Test
        void theNoneStorageLevel() {
            assertThrows(IllegalArgumentException.class, () -> new TrainSpec(1, 32, 0, 1, 5, 2,
                    TrainingApproach.DIRECT, "NONE", 3, true));
        }

        @Test
        void aBlankSparkMaster() {
            assertThrows(IllegalArgumentException.class, () -> new SparkSpec(" ", Map.of(), 60));
        }

        @Test
        void aBidirectionalLanguageModel() {
            JobSpec lm = JobSpecLoader.fromResolvedText(LM_SPEC, "test");
            ModelSpec m = lm.model();
            ModelSpec bidirectional = new ModelSpec(m.cell(), m.layers(), m.hiddenSize(), m.embeddingSize(), true,
                    m.dropout(), m.l2(), m.gradientClip(), m.updater(), m.learningRate());
            assertThrows(IllegalArgumentException.class, () -> new JobSpec(lm.name(), lm.task(), lm.seed(),
                    lm.corpus(), lm.split(), lm.vocab(), bidirectional, lm.train(), lm.output(), lm.spark(), lm.synthetic(),
                    lm.warmStart(), lm.registry(), lm.eval(), lm.resolvedText(), lm.origin()));
        }

        @Test
        void aJobNameWithASlash() {
            JobSpec lm = JobSpecLoader.fromResolvedText(LM_SPEC, "test");
            assertThrows(IllegalArgumentException.class, () -> new JobSpec("a/b", lm.task(), lm.seed(),
                    lm.corpus(), lm.split(), lm.vocab(), lm.model(), lm.train(), lm.output(), lm.spark(), lm.synthetic(),
                    lm.warmStart(), lm.registry(), lm.eval(), lm.resolvedText(), lm.origin()));
        }
    }
}
