package io.recur.baseline;

import io.recur.corpus.Example;
import io.recur.corpus.Split;
import io.recur.testing.LocalSpark;
import io.recur.vocab.LabelSet;
import io.recur.vocab.Vocabulary;
import io.recur.vocab.WordShape;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("spark")
@DisplayName("strong baselines on local[2]")
class StrongBaselinesTest {
    private static JavaSparkContext sc;

    @BeforeAll
    static void startSpark() {
        sc = LocalSpark.start(StrongBaselinesTest.class);
    }

    @AfterAll
    static void stopSpark() {
        sc.stop();
    }

    private static Example example(String label, List<String> tokens, List<String> tags, boolean truncated) {
        return new Example("test:1", label, tokens, tags, truncated, Split.TRAIN);
    }

    private static List<String> chars(String line) {
        return line.codePoints().mapToObj(Character::toString).toList();
    }

    @Nested
    @DisplayName("the Witten-Bell n-gram counted on the Moby Dick slice")
    class Ngram {
        @Test
        void givesDistributionsThatSumToOneOverThePredictableIdsInEveryOrder() throws IOException {
            List<Example> lines = Files.readAllLines(Path.of("src/test/resources/corpus/moby-dick-slice.txt")).stream()
                    .filter(l -> !l.isEmpty()).map(l -> example(null, chars(l), null, false)).toList();
            Map<String, Long> counts = new TreeMap<>();
            for (Example e : lines.subList(0, 300)) for (String c : e.tokens()) counts.merge(c, 1L, Long::sum);
            // Leave two characters out of the vocabulary, so <unk> is a target too.
            List<String> kept = new ArrayList<>(counts.keySet()).subList(2, counts.size());
            Vocabulary vocab = Vocabulary.of(kept, kept.stream().map(counts::get).toList());
            WittenBellNgram model = WittenBellNgram.fit(sc.parallelize(lines.subList(0, 300), 2), vocab, 5);

            for (String context : List.of("", "Th", "the wh", "qz", lines.get(350).tokens().get(0))) {
                int[] history = new int[context.length() + 1];
                history[0] = Vocabulary.BOS_ID;
                for (int i = 0; i < context.length(); i++) history[i + 1] = vocab.id(context.substring(i, i + 1));
                for (int order = 1; order <= 5; order++) {
                    double sum = 0;
                    for (int id = 0; id < vocab.size(); id++)
                        if (id != Vocabulary.PAD_ID && id != Vocabulary.BOS_ID) sum += model.probability(history, id, order);
                    assertEquals(1.0, sum, 1e-9, "context '" + context + "', order " + order);
                }
            }
        }

        @Test
        void predictsADeterministicPatternAlmostCertainlyAndEndsTruncatedLinesWithoutEos() {
            String pattern = "abcdefgh";
            List<Example> train = new ArrayList<>(), test = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String line = pattern.repeat(8).substring(i % 8, i % 8 + 30 + i % 13);
                (i % 5 == 0 ? test : train).add(example(null, chars(line), null, i % 7 == 0));
            }
            Vocabulary vocab = Vocabulary.of(chars(pattern), Arrays.stream(pattern.split("")).map(c -> 10L).toList());
            Map<String, Object> m = new NgramLanguageModel(vocab).fitAndScore(sc, sc.parallelize(train, 2),
                    sc.parallelize(test, 2), sc.parallelize(test, 2));

            long targets = test.stream().mapToLong(e -> e.tokens().size() + (e.truncated() ? 0 : 1)).sum();
            assertEquals(targets, ((Number) m.get("tokens")).longValue());
            assertEquals((long) test.size(), ((Number) m.get("examples")).longValue());
            // Only a line's first character and its end are uncertain: some 8 bits in 30-43 targets; a unigram needs 3 per target.
            double bits = ((Number) m.get("bitsPerToken")).doubleValue();
            assertTrue(bits < 0.5, "bits per token " + bits);
        }
    }

    @Nested
    @DisplayName("TF-IDF logistic regression")
    class LogisticRegression {
        @Test
        void classifiesEveryHeldOutExampleOfASeparableCorpusRight() {
            List<String> filler = List.of("the", "a", "movie", "was", "plot", "actors", "it", "and", "very", "quite");
            List<Example> all = new ArrayList<>();
            for (int i = 0; i < 240; i++) {
                boolean positive = i % 2 == 0;
                List<String> tokens = new ArrayList<>();
                for (int j = 0; j < 6; j++) tokens.add(filler.get((i * 7 + j * 3) % filler.size()));
                tokens.add((i * 5) % tokens.size(), positive ? "great" : "awful");
                all.add(example(positive ? "pos" : "neg", tokens, null, false));
            }
            JavaRDD<Example> train = sc.parallelize(all.subList(0, 160), 2);
            JavaRDD<Example> validation = sc.parallelize(all.subList(160, 200), 2);
            JavaRDD<Example> test = sc.parallelize(all.subList(200, 240), 2);
            Map<String, Object> m = new TfIdfLogisticRegression(new LabelSet(List.of("neg", "pos")), false)
                    .fitAndScore(sc, train, validation, test);

            assertEquals(1.0, ((Number) m.get("accuracy")).doubleValue());
            assertEquals(40L, ((Number) m.get("examples")).longValue());
        }

        @Test
        void scoresOnlyTheTestExamplesWhoseLabelTheModelKnows() {
            List<Example> train = new ArrayList<>();
            for (int i = 0; i < 40; i++)
                train.add(example(i % 2 == 0 ? "pos" : "neg", List.of(i % 2 == 0 ? "great" : "awful", "film"), null, false));
            List<Example> test = List.of(example("pos", List.of("great", "film"), null, false),
                    example("meh", List.of("film", "so", "so"), null, false));
            Map<String, Object> m = new TfIdfLogisticRegression(new LabelSet(List.of("neg", "pos")), false)
                    .fitAndScore(sc, sc.parallelize(train, 2), sc.parallelize(train, 2), sc.parallelize(test, 1));

            assertEquals(1L, ((Number) m.get("examples")).longValue());
            assertEquals(2L, ((Number) m.get("tokens")).longValue());
        }
    }

    @Nested
    @DisplayName("the suffix and shape tagger")
    class Suffixes {
        @Test
        void tagsAnUnseenWordLikeTheWordsSeenOnceWithItsSuffix() {
            List<Example> train = new ArrayList<>();
            for (String verb : List.of("walking", "singing", "reading", "cooking"))
                train.add(example(null, List.of("the", "man", "is", verb), List.of("at", "nn", "bez", "vbg"), false));
            for (int i = 0; i < 6; i++)
                train.add(example(null, List.of("the", "man", "is", "here"), List.of("at", "nn", "bez", "rb"), false));
            SuffixTagger tagger = new SuffixTagger(new LabelSet(List.of("at", "bez", "nn", "rb", "vbg")));
            tagger.fit(sc.parallelize(train, 2));

            assertEquals("vbg", tagger.tag("jumping"));
            assertEquals("nn", tagger.tag("man"));
        }

        @Test
        void readsCapitalsDigitsAndHyphensIntoTheShape() {
            assertEquals(List.of("Aa|ton", "Aa|on", "Aa|n", "Aa"), WordShape.features("Boston"));
            assertEquals("A", WordShape.shape("NATO"));
            assertEquals("a9-", WordShape.shape("1-to-1"));
            assertEquals("Aa", WordShape.shape("I"));
        }
    }
}
