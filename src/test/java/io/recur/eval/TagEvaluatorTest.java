package io.recur.eval;

import io.recur.corpus.Example;
import io.recur.corpus.Split;
import io.recur.encode.SequenceEncoder;
import io.recur.vocab.LabelSet;
import io.recur.vocab.Vocabulary;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

@DisplayName("TagEvaluator.score")
class TagEvaluatorTest {
    private static final LabelSet TAGS = new LabelSet(List.of("at", "nn", "vb"));
    private static final int AT = 0, NN = 1, VB = 2;
    /** Training words: "the" is at, "run" is vb; anything else is unseen and gets nn. */
    private static final MostFrequentTag BASELINE = new MostFrequentTag(Map.of("the", "at", "run", "vb"), "nn");

    private final TagEvaluator evaluator = new TagEvaluator(
            SequenceEncoder.forTagging(Vocabulary.of(List.of("the", "run"), List.of(2L, 1L)), TAGS, false), TAGS, 8);

    private static Example tagged(String words, String tags) {
        return new Example("test:1", null, List.of(words.split(" ")), List.of(tags.split(" ")), false, Split.TEST);
    }

    /** A softmax output [batch, tags, steps] that puts probability 0.8 on the given tag at each step. */
    private static INDArray confident(int[][] predicted, int steps) {
        INDArray out = Nd4j.zeros(DataType.FLOAT, predicted.length, TAGS.size(), steps);
        for (int i = 0; i < predicted.length; i++)
            for (int t = 0; t < steps; t++)
                for (int c = 0; c < TAGS.size(); c++)
                    out.putScalar(new long[]{i, c, t}, c == predicted[i][t] ? 0.8 : 0.1);
        return out;
    }

    private TagEvaluator.Result score(List<Example> batch, INDArray out) {
        TagEvaluator.Result result = new TagEvaluator.Result(new TagTally(TAGS.size()), new TagTally(TAGS.size()));
        evaluator.score(out, batch, BASELINE, result);
        return result;
    }

    @Nested
    @DisplayName("for the model")
    class Model {
        @Test
        void neverCountsPaddingSteps() {
            // The short example's padding steps predict vb; they must not appear anywhere.
            TagTally t = score(List.of(tagged("the run fish", "at vb nn"), tagged("fish", "nn")),
                    confident(new int[][]{{AT, VB, NN}, {NN, VB, VB}}, 3)).model();
            assertEquals(4, t.tokens());
            assertEquals(1.0, t.tokenAccuracy(), 1e-12);
            long predictedVb = 0;
            for (long[] row : t.confusion()) predictedVb += row[VB];
            assertEquals(1, predictedVb);
        }

        @Test
        void measuresAccuracyOnWordsTheTrainingSplitNeverHad() {
            // "fish" and "cat" are unseen: one right, one wrong; the seen "the" is wrong too.
            TagTally t = score(List.of(tagged("the fish cat", "at nn vb")),
                    confident(new int[][]{{VB, NN, NN}}, 3)).model();
            assertEquals(2, t.unseenTokens());
            assertEquals(0.5, t.unseenTokenAccuracy(), 1e-12);
            assertEquals(1.0 / 3, t.tokenAccuracy(), 1e-12);
        }

        @Test
        void countsAndSkipsTokensWhoseTagIsNotInTheTagSet() {
            TagTally t = score(List.of(tagged("the run", "at uh")), confident(new int[][]{{AT, AT}}, 2)).model();
            assertEquals(1, t.unknownTags());
            assertEquals(1, t.tokens());
            assertEquals(1.0, t.tokenAccuracy(), 1e-12);
        }

        @Test
        void addsTheNegativeLogProbabilityOfTheActualTag() {
            TagTally t = score(List.of(tagged("the run", "at nn")), confident(new int[][]{{AT, VB}}, 2)).model();
            assertEquals((-Math.log(0.8) - Math.log(0.1)) / 2, t.meanNll(), 1e-6);
        }
    }

    @Nested
    @DisplayName("for the most-frequent-tag baseline")
    class Baseline {
        @Test
        void givesSeenWordsTheirTrainingTagAndUnseenWordsTheOverallOne() {
            // the -> at (right), run -> vb (wrong: nn here), fish -> nn (right), cat -> nn (wrong).
            TagTally t = score(List.of(tagged("the run fish cat", "at nn nn vb")),
                    confident(new int[][]{{AT, AT, AT, AT}}, 4)).baseline();
            assertEquals(0.5, t.tokenAccuracy(), 1e-12);
            assertEquals(0.5, t.unseenTokenAccuracy(), 1e-12);
            assertEquals(1, t.confusion()[NN][VB]);
        }

        @Test
        void scoresTheSameTokensAsTheModel() {
            TagEvaluator.Result r = score(List.of(tagged("the run", "at uh"), tagged("fish", "nn")),
                    confident(new int[][]{{AT, AT}, {NN, NN}}, 2));
            assertEquals(r.model().tokens(), r.baseline().tokens());
            assertEquals(r.model().unknownTags(), r.baseline().unknownTags());
        }
    }

    @Nested
    @DisplayName("metrics")
    class Metrics {
        @Test
        void leaveUnseenTokenAccuracyNullWhenEveryWordWasSeen() {
            TagTally t = score(List.of(tagged("the run", "at vb")), confident(new int[][]{{AT, VB}}, 2)).model();
            Map<String, Object> m = HeldOutMetrics.ofTagging(t, TAGS.labels(), true);
            assertNull(m.get("unseenTokenAccuracy"));
            assertEquals(1.0, m.get("tokenAccuracy"));
        }
    }
}
