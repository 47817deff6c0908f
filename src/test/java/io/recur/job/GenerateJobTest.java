package io.recur.job;

import io.recur.config.UserInputException;
import io.recur.run.SavedRun;
import io.recur.vocab.Vocabulary;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Generation mechanics on untrained networks: what is tested here (state, seeds, stopping,
 * joining) does not depend on what the weights learned. Sampling from a trained model is covered
 * by the report test, which trains on the Moby Dick slice.
 */
@DisplayName("GenerateJob")
class GenerateJobTest {
    private static final List<String> WORDS = List.of("the", "whale", "sea", "ship", "ahab", ",", ".");
    private static final List<String> HANGUL = List.of("고", "래", "바", "다", " ", "배");

    private static SavedRun run(List<String> tokens, String... overrides) {
        return UntrainedRuns.languageModel(tokens, overrides);
    }

    /** Adds {@code amount} to the output bias of each id, to make the model prefer or avoid them. */
    private static void bias(SavedRun run, double amount, int... ids) {
        MultiLayerNetwork net = run.network();
        INDArray b = net.getLayer(net.getnLayers() - 1).getParam("b");
        for (int id : ids) b.putScalar(0, id, b.getDouble(0, id) + amount);
    }

    private static SamplingSpec sampling(int length, long seed) {
        return new SamplingSpec(length, 1.0, 0, seed);
    }

    @Nested
    @DisplayName("stepping with stored state")
    class StoredState {
        @ParameterizedTest(name = "{0} cell, embedding size {1}")
        @CsvSource({"lstm, 16", "lstm, 0", "rnn, 16", "rnn, 0"})
        void givesTheFullSequenceForwardPassAtEveryStep(String cell, int embedding) {
            SavedRun run = run(HANGUL, "model.cell=" + cell, "model.embedding-size=" + embedding, "model.layers=2");
            GenerateJob job = new GenerateJob(run);
            int[] ids = {Vocabulary.BOS_ID, 4, 5, 8, 6, 7, 4, 9};
            INDArray full = run.network().output(job.input(ids)).castTo(DataType.DOUBLE);
            double[][] stepped = job.stepwise(ids);
            for (int t = 0; t < ids.length; t++) {
                double[] expected = full.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.point(t)).toDoubleVector();
                assertArrayEquals(expected, stepped[t], 1e-5, "step " + t);
            }
        }

        @Test
        void differsFromAStatelessStepSoTheTestAboveCanFail() {
            SavedRun run = run(HANGUL);
            GenerateJob job = new GenerateJob(run);
            double[][] stepped = job.stepwise(new int[]{Vocabulary.BOS_ID, 4, 5});
            double[][] fresh = job.stepwise(new int[]{5});
            assertFalse(java.util.Arrays.equals(stepped[2], fresh[0]));
        }
    }

    @Nested
    @DisplayName("sampling")
    class Sampling {
        @Test
        void givesTheSameTextForTheSameSeed() {
            GenerateJob job = new GenerateJob(run(WORDS, "corpus.tokenizer=word"));
            assertEquals(job.generate("the whale", sampling(60, 11)), job.generate("the whale", sampling(60, 11)));
        }

        @Test
        void givesDifferentTextForDifferentSeeds() {
            SavedRun run = run(WORDS, "corpus.tokenizer=word");
            bias(run, -30, Vocabulary.EOS_ID);
            GenerateJob job = new GenerateJob(run);
            assertNotEquals(job.generate("the", sampling(60, 1)).tokens(), job.generate("the", sampling(60, 2)).tokens());
        }

        @Test
        void isGreedyAtTemperatureZeroWhateverTheSeed() {
            GenerateJob job = new GenerateJob(run(WORDS, "corpus.tokenizer=word"));
            var cold = job.generate("the", new SamplingSpec(30, 0.0, 0, 1));
            assertEquals(cold, job.generate("the", new SamplingSpec(30, 0.0, 0, 99)));
            assertEquals(cold, job.generate("the", new SamplingSpec(30, 1.0, 1, 5)));
        }

        @Test
        void neverEmitsPaddingBeginningOrUnknownEvenWhenTheModelPrefersThem() {
            SavedRun run = run(WORDS, "corpus.tokenizer=word");
            bias(run, 20, Vocabulary.PAD_ID, Vocabulary.UNK_ID, Vocabulary.BOS_ID);
            bias(run, -20, Vocabulary.EOS_ID);
            var sample = new GenerateJob(run).generate("", sampling(50, 3));
            assertEquals(50, sample.tokens().size());
            assertTrue(WORDS.containsAll(sample.tokens()), sample.tokens().toString());
        }
    }

    @Nested
    @DisplayName("stopping")
    class Stopping {
        @Test
        void stopsAtEndOfSequence() {
            SavedRun run = run(WORDS, "corpus.tokenizer=word");
            bias(run, 30, Vocabulary.EOS_ID);
            var sample = new GenerateJob(run).generate("the sea", sampling(50, 1));
            assertTrue(sample.endOfSequence());
            assertEquals(List.of(), sample.tokens());
            assertEquals("the sea", sample.text());
        }

        @Test
        void stopsAtTheLengthLimit() {
            SavedRun run = run(HANGUL);
            bias(run, -30, Vocabulary.EOS_ID);
            var sample = new GenerateJob(run).generate("고래", sampling(17, 1));
            assertFalse(sample.endOfSequence());
            assertEquals(17, sample.tokens().size());
        }
    }

    @Nested
    @DisplayName("joining tokens into text")
    class Joining {
        @Test
        void concatenatesCharacterTokensOfANonLatinScript() {
            SavedRun run = run(HANGUL);
            bias(run, -30, Vocabulary.EOS_ID);
            var sample = new GenerateJob(run).generate("고래", sampling(25, 4));
            assertEquals("고래" + String.join("", sample.tokens()), sample.text());
            assertEquals(25, sample.text().codePointCount(0, sample.text().length()) - 2);
        }

        @Test
        void separatesWordTokensWithSingleSpaces() {
            SavedRun run = run(WORDS, "corpus.tokenizer=word");
            bias(run, -30, Vocabulary.EOS_ID);
            var sample = new GenerateJob(run).generate("the whale", sampling(6, 4));
            assertEquals("the whale " + String.join(" ", sample.tokens()), sample.text());
        }

        @Test
        void keepsATrailingSpaceOfACharacterPromptAsAToken() {
            SavedRun run = run(HANGUL);
            bias(run, -30, Vocabulary.EOS_ID);
            GenerateJob job = new GenerateJob(run);
            var spaced = job.generate("고래 ", new SamplingSpec(1, 0.0, 0, 1));
            double[][] afterSpace = job.stepwise(new int[]{Vocabulary.BOS_ID, 4, 5, 8});
            int expected = argmaxSampleable(afterSpace[3]);
            assertEquals(run.vocab().token(expected), spaced.tokens().get(0));
            assertTrue(spaced.text().startsWith("고래 "));
        }

        private static int argmaxSampleable(double[] p) {
            int best = Vocabulary.EOS_ID;
            for (int id = Vocabulary.EOS_ID; id < p.length; id++) if (p[id] > p[best]) best = id;
            return best;
        }
    }

    @Nested
    @DisplayName("rejects")
    class Rejects {
        @Test
        void aClassifierNamingTheTask() {
            SavedRun run = UntrainedRuns.classifier(WORDS);
            var e = assertThrows(UserInputException.class, () -> new GenerateJob(run));
            assertTrue(e.getMessage().contains("job.task = classify") && e.getMessage().contains("lm"), e.getMessage());
        }

        @ParameterizedTest(name = "length {0}, temperature {1}, top-k {2}")
        @CsvSource({"0, 1.0, 0, --length", "10, -0.5, 0, --temperature", "10, NaN, 0, --temperature",
                "10, Infinity, 0, --temperature", "10, 1.0, -1, --top-k"})
        void badSamplingNumbersNamingTheOption(int length, double temperature, int topK, String option) {
            var e = assertThrows(UserInputException.class, () -> new SamplingSpec(length, temperature, topK, 1));
            assertTrue(e.getMessage().startsWith(option), e.getMessage());
        }
    }
}
