package io.recur.corpus;

import io.recur.testing.LocalSpark;
import io.recur.config.CorpusFormat;
import io.recur.config.CorpusSpec;
import io.recur.config.SplitSpec;
import io.recur.config.TokenizerKind;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("spark")
@DisplayName("TokenCounter")
class TokenCounterTest {
    private static JavaSparkContext sc;

    @BeforeAll
    static void startSpark() {
        sc = LocalSpark.start(TokenCounterTest.class);
    }

    @AfterAll
    static void stopSpark() {
        sc.stop();
    }

    private static JavaRDD<Example> examples(String... texts) {
        List<Example> list = Arrays.stream(texts)
                .map(t -> new Example("toy:1", null, List.of(t.split(" ")), null, false, Split.TRAIN))
                .toList();
        return sc.parallelize(list, 3);
    }

    private static Corpus readFixture(String name, CorpusFormat format) {
        CorpusSpec spec = new CorpusSpec(List.of(CorpusReaderTest.fixture(name).toString()), format,
                TokenizerKind.WHITESPACE, false, 1000, 0);
        return CorpusReader.read(sc, spec, new SplitSpec(1.0, 0.0, 0.0));
    }

    @Nested
    @DisplayName("topTokens")
    class TopTokens {
        // a and b twice, c and d once each, spread over three partitions.
        private final JavaRDD<Example> toy = examples("b a", "c a", "b d");

        @Test
        void ordersByCountThenToken() {
            assertEquals(List.of(new TokenCount("a", 2), new TokenCount("b", 2), new TokenCount("c", 1), new TokenCount("d", 1)),
                    TokenCounter.topTokens(toy, 1, 10));
        }

        @Test
        void dropsTokensBelowMinCount() {
            assertEquals(List.of(new TokenCount("a", 2), new TokenCount("b", 2)), TokenCounter.topTokens(toy, 2, 10));
        }

        @Test
        void keepsAtMostMaxSizeBreakingTiesByToken() {
            assertEquals(List.of(new TokenCount("a", 2), new TokenCount("b", 2), new TokenCount("c", 1)),
                    TokenCounter.topTokens(toy, 1, 3));
        }

        @Test
        void givesNothingForMaxSizeZero() {
            assertEquals(List.of(), TokenCounter.topTokens(toy, 1, 0));
        }

        @Test
        void rejectsANegativeMaxSize() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TokenCounter.topTokens(toy, 1, -1));
            assertTrue(e.getMessage().contains("maxSize"), e.getMessage());
        }

        @Test
        void matchesACountMadeOnTheDriver() throws IOException {
            Map<String, Long> expected = new HashMap<>();
            for (String line : Files.readAllLines(CorpusReaderTest.fixture("sms-labeled.tsv")))
                for (String token : line.split("\t")[1].split(" ")) expected.merge(token, 1L, Long::sum);
            List<TokenCount> top = TokenCounter.topTokens(readFixture("sms-labeled.tsv", CorpusFormat.LABELED).examples(), 2, 1000);
            assertEquals(expected.entrySet().stream().filter(e -> e.getValue() >= 2).count(), top.size());
            for (TokenCount c : top) assertEquals(expected.get(c.token()), c.count(), c.token());
        }
    }

    @Nested
    @DisplayName("labels and tags")
    class LabelsAndTags {
        @Test
        void countsEveryLabel() throws IOException {
            Map<String, Long> expected = new HashMap<>();
            for (String line : Files.readAllLines(CorpusReaderTest.fixture("sms-labeled.tsv")))
                expected.merge(line.split("\t")[0], 1L, Long::sum);
            List<TokenCount> labels = TokenCounter.labels(readFixture("sms-labeled.tsv", CorpusFormat.LABELED).examples());
            assertEquals(List.of(new TokenCount("ham", expected.get("ham")), new TokenCount("spam", expected.get("spam"))), labels);
        }

        @Test
        void countsEveryTagMostFrequentFirst() {
            List<TokenCount> tags = TokenCounter.tags(readFixture("tagged.txt", CorpusFormat.TAGGED).examples());
            // tagged.txt: NN x4, "." x2, DT x2, IN x2, then CD, NNS, VB, VBD, VBP once each.
            assertEquals(List.of("NN", ".", "DT", "IN", "CD", "NNS", "VB", "VBD", "VBP"), tags.stream().map(TokenCount::token).toList());
            assertEquals(4, tags.get(0).count());
        }

        @Test
        void givesNoLabelsOrTagsForPlainText() {
            JavaRDD<Example> text = readFixture("sms-text.txt", CorpusFormat.TEXT).examples();
            assertEquals(List.of(), TokenCounter.labels(text));
            assertEquals(List.of(), TokenCounter.tags(text));
        }
    }
}
