package io.recur.corpus;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Splits pre-tokenized text on Unicode white space; see {@link Tokenizer}. */
record WhitespaceTokenizer(boolean lowercase) implements Tokenizer {

    @Override
    public List<String> tokenize(String text) {
        List<String> tokens = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (isWhiteSpace(cp)) {
                if (start >= 0) tokens.add(cased(text.substring(start, i)));
                start = -1;
            } else if (start < 0) {
                start = i;
            }
            i += Character.charCount(cp);
        }
        if (start >= 0) tokens.add(cased(text.substring(start)));
        return tokens;
    }

    private String cased(String token) {
        return lowercase ? token.toLowerCase(Locale.ROOT) : token;
    }

    /**
     * Java's {@code isWhitespace} leaves out no-break spaces (U+00A0, U+202F) and {@code isSpaceChar}
     * leaves out tab and newline; corpora contain both kinds, so either counts.
     */
    static boolean isWhiteSpace(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
    }
}
