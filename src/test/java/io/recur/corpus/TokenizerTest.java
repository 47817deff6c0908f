package io.recur.corpus;

import io.recur.config.TokenizerKind;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

@DisplayName("Tokenizer")
class TokenizerTest {
    // "é" precomposed (U+00E9) and decomposed (e + U+0301 combining acute).
    private static final String CAFE_COMPOSED = "caf\u00e9";
    private static final String CAFE_DECOMPOSED = "cafe\u0301";

    private static List<String> tokens(TokenizerKind kind, boolean lowercase, String text) {
        return Tokenizer.of(kind, lowercase).tokenize(text);
    }

    @Nested
    @DisplayName("whitespace")
    class Whitespace {
        @Test
        void splitsOnRunsOfUnicodeWhiteSpaceIncludingNoBreakSpace() {
            assertEquals(List.of("a", "b,", "c", "d"), tokens(TokenizerKind.WHITESPACE, false, "  a \t b,\u00a0c\u3000d \n"));
        }

        @Test
        void keepsTokensAsGivenWithoutNormalising() {
            assertEquals(List.of(CAFE_DECOMPOSED), tokens(TokenizerKind.WHITESPACE, false, CAFE_DECOMPOSED));
        }

        @Test
        void lowerCasesWhenAsked() {
            assertEquals(List.of("hello", "wörld"), tokens(TokenizerKind.WHITESPACE, true, "HeLLo WÖRLD"));
        }

        @Test
        void givesNoTokensForBlankText() {
            assertEquals(List.of(), tokens(TokenizerKind.WHITESPACE, false, " \t "));
        }
    }

    @Nested
    @DisplayName("word")
    class Word {
        @Test
        void splitsPunctuationOffWords() {
            assertEquals(List.of("Hello", ",", "world", "!", "(", "yes", ")"),
                    tokens(TokenizerKind.WORD, false, "Hello, world! (yes)"));
        }

        @Test
        void givesEveryPunctuationCharacterItsOwnToken() {
            assertEquals(List.of("wait", ".", ".", ".", "what", "?", "!"), tokens(TokenizerKind.WORD, false, "wait... what?!"));
        }

        @Test
        void keepsWordInternalApostrophesAndHyphens() {
            assertEquals(List.of("don't", "re-use", "l\u2019homme"),
                    tokens(TokenizerKind.WORD, false, "don't re-use l\u2019homme"));
        }

        @Test
        void splitsOffLeadingAndTrailingApostrophesAndHyphens() {
            assertEquals(List.of("'", "quoted", "'", "-", "dash", "-"), tokens(TokenizerKind.WORD, false, "'quoted' -dash-"));
        }

        @Test
        void keepsLettersDigitsAndCombiningMarksOfAnyScriptTogether() {
            assertEquals(List.of("привет", ",", "мир", ";", "안녕하세요", "x2", "हिन्दी"),
                    tokens(TokenizerKind.WORD, false, "привет, мир; 안녕하세요 x2 हिन्दी"));
        }

        @Test
        void makesSymbolsAndEmojiTokensOfTheirOwn() {
            assertEquals(List.of("5", "$", "\uD83D\uDE00", "ok", "+", "1"), tokens(TokenizerKind.WORD, false, "5$\uD83D\uDE00ok+1"));
        }

        @Test
        void givesComposedAndDecomposedInputTheSameTokens() {
            assertEquals(tokens(TokenizerKind.WORD, false, CAFE_COMPOSED + " au lait"),
                    tokens(TokenizerKind.WORD, false, CAFE_DECOMPOSED + " au lait"));
        }

        @Test
        void lowerCasesAfterNormalising() {
            assertEquals(List.of(CAFE_COMPOSED, "istanbul"), tokens(TokenizerKind.WORD, true, "CAFE\u0301 ISTANBUL"));
        }
    }

    @Nested
    @DisplayName("char")
    class Char {
        @Test
        void makesEachHangulSyllableOneToken() {
            assertEquals(List.of("안", "녕"), tokens(TokenizerKind.CHAR, false, "안녕"));
        }

        @Test
        void composesDecomposedHangulJamoIntoOneSyllable() {
            // U+1100 U+1161 U+11AB is the conjoining-jamo spelling of 간 (U+AC04).
            assertEquals(List.of("\uAC04"), tokens(TokenizerKind.CHAR, false, "\u1100\u1161\u11AB"));
        }

        @Test
        void makesEachCyrillicAndCjkCharacterOneToken() {
            assertEquals(List.of("м", "и", "р", " ", "世", "界"), tokens(TokenizerKind.CHAR, false, "мир 世界"));
        }

        @Test
        void keepsASurrogatePairEmojiAsOneToken() {
            List<String> t = tokens(TokenizerKind.CHAR, false, "a\uD83D\uDE00b");
            assertEquals(List.of("a", "\uD83D\uDE00", "b"), t);
        }

        @Test
        void collapsesWhiteSpaceRunsAndDropsOuterWhiteSpace() {
            assertEquals(List.of("a", " ", "b", " ", "c"), tokens(TokenizerKind.CHAR, false, "  a \t\u00a0 b\nc  "));
        }

        @Test
        void givesComposedAndDecomposedInputTheSameTokens() {
            List<String> composed = tokens(TokenizerKind.CHAR, false, CAFE_COMPOSED);
            assertEquals(List.of("c", "a", "f", "\u00e9"), composed);
            assertEquals(composed, tokens(TokenizerKind.CHAR, false, CAFE_DECOMPOSED));
        }

        @Test
        void lowerCasesWithRootLocale() {
            assertEquals(List.of("a", "b", "ж"), tokens(TokenizerKind.CHAR, true, "AbЖ"));
        }
    }

    @Test
    void survivesJavaSerializationAsSparkShipsIt() throws IOException, ClassNotFoundException {
        Tokenizer original = Tokenizer.of(TokenizerKind.WORD, true);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(original);
        }
        Tokenizer copy = (Tokenizer) new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())).readObject();
        assertEquals(original.tokenize("It's ok."), copy.tokenize("It's ok."));
        assertNotEquals(Tokenizer.of(TokenizerKind.WORD, false).tokenize("It's"), copy.tokenize("It's"));
    }
}
