package io.recur.vocab;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@DisplayName("Vocabulary")
class VocabularyTest {
    private final Vocabulary vocab = Vocabulary.of(List.of("the", " ", "한", "🙂"), List.of(9L, 7L, 3L, 2L));

    @Test
    void reservesTheFirstFourIds() {
        assertEquals(List.of(Vocabulary.PAD, Vocabulary.UNK, Vocabulary.BOS, Vocabulary.EOS), vocab.tokens().subList(0, 4));
        assertEquals(4, vocab.id("the"));
    }

    @Test
    void mapsUnseenTokensToUnknown() {
        assertArrayEquals(new int[]{4, Vocabulary.UNK_ID, 6}, vocab.encode(List.of("the", "cat", "한")));
    }

    @Test
    void rejectsATokenListedTwice() {
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.of(List.of("a", "a"), List.of(1L, 1L)));
    }

    @Test
    void rejectsACorpusTokenThatSpellsAReservedOne() {
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.of(List.of(Vocabulary.EOS), List.of(1L)));
    }

    @Nested
    @DisplayName("with unknown-word classes")
    class UnknownClasses {
        private final Vocabulary classes = Vocabulary.of(
                List.of("the", Vocabulary.unknownClass("a|ing"), Vocabulary.unknownClass("a|g"), Vocabulary.unknownClass("Aa")),
                List.of(9L, 4L, 5L, 3L), true);

        @Test
        void mapsAnUnseenWordToItsMostSpecificClass() {
            assertEquals(classes.id(Vocabulary.unknownClass("a|ing")), classes.id("jumping"));
            assertEquals(classes.id(Vocabulary.unknownClass("a|g")), classes.id("dog"));
            assertEquals(classes.id(Vocabulary.unknownClass("Aa")), classes.id("Boston"));
        }

        @Test
        void mapsAnUnseenWordWithNoClassToUnknown() {
            assertEquals(Vocabulary.UNK_ID, classes.id("cat"));
        }

        @Test
        void keepsAWordItHolds() {
            assertEquals(4, classes.id("the"));
        }

        @Test
        void areOffUnlessAsked() {
            var plain = Vocabulary.of(List.of("the", Vocabulary.unknownClass("a|ing")), List.of(9L, 4L));
            assertEquals(Vocabulary.UNK_ID, plain.id("jumping"));
        }

        @Test
        void readBackFromJsonWithTheClassesOn() throws IOException {
            var out = new ByteArrayOutputStream();
            VocabularyFile.write(classes, out);
            Vocabulary read = VocabularyFile.read(new ByteArrayInputStream(out.toByteArray()));
            assertEquals(classes, read);
            assertEquals(classes.id(Vocabulary.unknownClass("a|ing")), read.id("running"));
        }

        @Test
        void leaveAVocabularyWithoutThemWrittenAsBefore() throws IOException {
            var out = new ByteArrayOutputStream();
            VocabularyFile.write(vocab, out);
            assertFalse(out.toString(java.nio.charset.StandardCharsets.UTF_8).contains("unknownClasses"));
        }
    }

    @Nested
    @DisplayName("stored as JSON")
    class Stored {
        @Test
        void readsBackEqualWithWhiteSpaceAndAstralTokens() throws IOException {
            var out = new ByteArrayOutputStream();
            VocabularyFile.write(vocab, out);
            assertEquals(vocab, VocabularyFile.read(new ByteArrayInputStream(out.toByteArray())));
        }

        @Test
        void hashChangesWhenIdsChange() {
            var swapped = Vocabulary.of(List.of(" ", "the", "한", "🙂"), List.of(9L, 7L, 3L, 2L));
            assertNotEquals(VocabularyFile.sha256(vocab), VocabularyFile.sha256(swapped));
        }

        @Test
        void labelsReadBackInTheirOrder() throws IOException {
            var labels = new LabelSet(List.of("ham", "spam"));
            var out = new ByteArrayOutputStream();
            VocabularyFile.write(labels, out);
            assertEquals(labels, VocabularyFile.readLabels(new ByteArrayInputStream(out.toByteArray())));
        }
    }

    @Test
    void labelSetGivesMinusOneForAnUnknownLabel() {
        assertEquals(-1, new LabelSet(List.of("ham", "spam")).id("eggs"));
    }
}
