package io.recur.corpus;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Unicode-aware words with punctuation split off; the rule is documented on {@link Tokenizer}. */
record WordTokenizer(boolean lowercase) implements Tokenizer {

    @Override
    public List<String> tokenize(String text) {
        String s = Normalizer.normalize(text, Normalizer.Form.NFC);
        if (lowercase) s = s.toLowerCase(Locale.ROOT);
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            if (WhitespaceTokenizer.isWhiteSpace(cp)) {
                i += Character.charCount(cp);
            } else if (isWordChar(cp)) {
                int end = wordEnd(s, i);
                tokens.add(s.substring(i, end));
                i = end;
            } else {
                int end = i + Character.charCount(cp);
                tokens.add(s.substring(i, end));
                i = end;
            }
        }
        return tokens;
    }

    /** End of the word starting at {@code start}: joiners count only with word characters on both sides. */
    private static int wordEnd(String s, int start) {
        int i = start;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (isWordChar(cp)) {
                i = next;
            } else if (isJoiner(cp) && next < s.length() && isWordChar(s.codePointAt(next))) {
                i = next;
            } else {
                break;
            }
        }
        return i;
    }

    private static boolean isWordChar(int cp) {
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER,
                 Character.NON_SPACING_MARK, Character.COMBINING_SPACING_MARK, Character.ENCLOSING_MARK,
                 Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> true;
            default -> false;
        };
    }

    private static boolean isJoiner(int cp) {
        return cp == '\'' || cp == '\u2019' || cp == '-' || cp == '\u2010' || cp == '\u2011';
    }
}
