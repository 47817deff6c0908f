package io.recur.job;

import io.recur.config.UserInputException;
import io.recur.run.SavedRun;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What predict answers, on untrained networks: which position and which options are read does not
 * depend on what the weights learned (the catalogue checks the same on a trained model).
 */
@DisplayName("PredictJob")
class PredictJobTest {
    private static final List<String> CHARS = List.of("A", "Z", "a", "n", "d", " ", "G", "o", "s", "i", "고");
    private static final SavedRun LM = UntrainedRuns.languageModel(CHARS);
    private static final SavedRun CLASSIFIER = UntrainedRuns.classifier(List.of("free", "prize", "call", "now"));

    /** The token greedy generation picks after {@code prompt}, or {@code <eos>} when it ends the text. */
    private static String greedy(String prompt) {
        GenerateJob.Sample s = new GenerateJob(LM).generate(prompt, new SamplingSpec(1, 0, 0, 1));
        return s.tokens().isEmpty() ? "<eos>" : s.tokens().get(0);
    }

    private static String top(String answer) {
        String first = answer.split("\t")[0];
        return first.substring(0, first.lastIndexOf(':'));
    }

    @Nested
    @DisplayName("for a language model")
    class LanguageModel {
        @ParameterizedTest(name = "prompt \"{0}\"")
        @ValueSource(strings = {"A", "Z", "And God sai", "고", "and ", "and"})
        void listsFirstTheTokenGreedyGenerateContinuesWith(String prompt) {
            assertEquals(greedy(prompt), top(new PredictJob(LM, null).predict(prompt)));
        }

        @Test
        void answersForThePositionAfterTheWholeLine() {
            PredictJob job = new PredictJob(LM, null);
            assertNotEquals(job.predict("A"), job.predict("Z"));
        }

        @Test
        void keepsATrailingSpaceOfACharacterPrompt() {
            PredictJob job = new PredictJob(LM, null);
            assertNotEquals(job.predict("and"), job.predict("and "));
        }

        @Test
        void answersAnEmptyLineWithTheDistributionAfterBos() {
            PredictJob job = new PredictJob(LM, 3);
            String answer = job.predict("");
            assertEquals(3, answer.split("\t").length, answer);
            assertEquals(greedy(""), top(answer));
        }

        @Test
        void listsTopKTokensMostLikelyFirst() {
            String[] pairs = new PredictJob(LM, 4).predict("And").split("\t");
            assertEquals(4, pairs.length);
            for (int i = 1; i < pairs.length; i++)
                assertTrue(probability(pairs[i - 1]) >= probability(pairs[i]), String.join(" ", pairs));
        }

        @Test
        void neverListsReservedIds() {
            String answer = new PredictJob(LM, CHARS.size() + 4).predict("And");
            assertTrue(!answer.contains("<pad>") && !answer.contains("<bos>") && !answer.contains("<unk>"), answer);
        }

        private static double probability(String pair) {
            return Double.parseDouble(pair.substring(pair.lastIndexOf(':') + 1));
        }
    }

    @Nested
    @DisplayName("for a classifier")
    class Classifier {
        @Test
        void listsTheBestLabelByDefault() {
            String[] fields = new PredictJob(CLASSIFIER, null).predict("free prize").split("\t");
            assertEquals(2, fields.length);
        }

        @Test
        void listsTopKLabelsWithTheirProbabilities() {
            String[] fields = new PredictJob(CLASSIFIER, 2).predict("free prize").split("\t");
            assertEquals(4, fields.length, String.join("|", fields));
            assertEquals(List.of("ham", "spam"), List.of(fields[0], fields[2]).stream().sorted().toList());
            assertEquals(1.0, Double.parseDouble(fields[1]) + Double.parseDouble(fields[3]), 1e-3);
        }

        @Test
        void readsTheFirstTokensOfALongLineAsTrainingCutIt() {
            PredictJob job = new PredictJob(CLASSIFIER, 2);
            int max = CLASSIFIER.spec().corpus().maxSequenceLength();
            String head = String.join(" ", java.util.Collections.nCopies(max, "free"));
            String tail = String.join(" ", java.util.Collections.nCopies(max, "call"));
            assertEquals(job.predict(head), job.predict(head + " " + tail));
            assertNotEquals(job.predict(tail), job.predict(head + " " + tail));
        }

        @Test
        void answersALineWithoutTokensWithTheMarker() {
            assertEquals(PredictJob.NO_TOKENS, new PredictJob(CLASSIFIER, null).predict("   "));
        }

        @Test
        void answersAnUndecodableLineWithTheMarker() {
            assertEquals(PredictJob.NOT_UTF8, new PredictJob(CLASSIFIER, null).predict(new PredictInput.Line(null)));
        }
    }

    @Nested
    @DisplayName("for a tagger")
    class Tagger {
        private final SavedRun tagger = UntrainedRuns.tagger(List.of("the", "whale", "swims"));

        @Test
        void tagsEachToken() {
            String[] tagged = new PredictJob(tagger, null).predict("the whale swims").split(" ");
            assertEquals(3, tagged.length);
            assertTrue(tagged[1].startsWith("whale/"), tagged[1]);
        }

        @Test
        void answersAnEmptyLineWithTheMarker() {
            assertEquals(PredictJob.NO_TOKENS, new PredictJob(tagger, null).predict(""));
        }

        @Test
        void refusesTopKRatherThanIgnoringIt() {
            var e = assertThrows(UserInputException.class, () -> new PredictJob(tagger, 3));
            assertTrue(e.getMessage().startsWith("--top-k 3: a tagger"), e.getMessage());
        }
    }

    @ParameterizedTest(name = "--top-k {0}")
    @ValueSource(ints = {0, -1})
    void rejectsATopKBelowOneNamingTheOption(int k) {
        var e = assertThrows(UserInputException.class, () -> new PredictJob(LM, k));
        assertTrue(e.getMessage().startsWith("--top-k " + k), e.getMessage());
    }

    @Test
    void printsControlCharactersOfATokenEscaped() {
        assertEquals("a\\tb\\r\\n\\u0000\\\\", PredictJob.printable("a\tb\r\n\u0000\\"));
    }
}
