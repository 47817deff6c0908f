package io.recur.corpus;

import java.util.List;

/**
 * The simple form of a Brown Corpus tag ({@code corpus.tag-simplify = true}), so that a tagger
 * predicts a word's part of speech rather than where it stood or what it was contracted with:
 * <ol>
 *   <li>a compound tag of a contraction keeps its first part: {@code pps+bez} ("it's") becomes
 *       {@code pps}, {@code wdt+ber+pp} becomes {@code wdt};</li>
 *   <li>the suffixes {@code -tl} (in a title), {@code -hl} (in a headline) and {@code -nc} (cited
 *       word) are dropped, however many and in any order: {@code nn-tl-hl} becomes {@code nn},
 *       {@code ---hl} becomes {@code --};</li>
 *   <li>everything else is kept as written, in particular the {@code *} negation marker
 *       ({@code md*} "can't", {@code *} "not": Brown lists negated forms as tags of their own) and the
 *       {@code fw-} prefix of foreign words ({@code fw-nn-tl} becomes {@code fw-nn}).</li>
 * </ol>
 * Suffixes are matched ignoring case, so upper-case tag sets ({@code NN-TL}) simplify the same way.
 * A rule that would leave an empty tag is not applied.
 */
public final class BrownTags {
    private static final List<String> SUFFIXES = List.of("-tl", "-hl", "-nc");

    private BrownTags() {}

    public static String simplify(String tag) {
        int plus = tag.indexOf('+');
        String simple = plus > 0 ? tag.substring(0, plus) : tag;
        for (boolean stripped = true; stripped; ) {
            stripped = false;
            for (String suffix : SUFFIXES) {
                int from = simple.length() - suffix.length();
                if (from > 0 && simple.regionMatches(true, from, suffix, 0, suffix.length())) {
                    simple = simple.substring(0, from);
                    stripped = true;
                }
            }
        }
        return simple;
    }
}
