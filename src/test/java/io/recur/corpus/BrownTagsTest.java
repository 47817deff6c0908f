package io.recur.corpus;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

@DisplayName("BrownTags.simplify")
class BrownTagsTest {
    @Nested
    @DisplayName("drops the title, headline and cited-word suffixes")
    class Suffixes {
        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource({"nn-tl, nn", "np-hl, np", "vb-nc, vb", "nn-tl-hl, nn", "jj-tl-nc, jj", "nns$-tl, nns$"})
        void ofWordTags(String tag, String simple) {
            assertEquals(simple, BrownTags.simplify(tag));
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource({"---hl, --", ".-hl, .", "(-hl, (", ":-tl, :", "*-hl, *"})
        void ofPunctuationAndNegationTags(String tag, String simple) {
            assertEquals(simple, BrownTags.simplify(tag));
        }

        @Test
        void ignoringCase() {
            assertEquals("NN", BrownTags.simplify("NN-TL-HL"));
        }
    }

    @Nested
    @DisplayName("keeps the first part of a compound tag")
    class Compounds {
        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource({"pps+bez, pps", "wdt+ber+pp, wdt", "pps+bez-nc, pps", "nn+hvz-tl, nn", "fw-in+at-t, fw-in",
                "ppss+bez*, ppss"})
        void beforeTheFirstPlus(String tag, String simple) {
            assertEquals(simple, BrownTags.simplify(tag));
        }
    }

    @Nested
    @DisplayName("keeps as written")
    class Kept {
        @ParameterizedTest(name = "{0}")
        @CsvSource({"md*", "*", "bedz*", "fw-nn", "--", "nn", "pp$$", "nil"})
        void theNegationMarkerForeignPrefixAndPlainTags(String tag) {
            assertEquals(tag, BrownTags.simplify(tag));
        }

        @Test
        void theNegationMarkerOfAHeadlineTag() {
            assertEquals("do*", BrownTags.simplify("do*-hl"));
        }

        @Test
        void aTagThatWouldBecomeEmpty() {
            assertEquals("-hl", BrownTags.simplify("-hl"));
        }
    }
}
