package io.recur.corpus;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One token per code point, white space runs as one {@code " "}; see {@link Tokenizer}. */
record CharTokenizer(boolean lowercase) implements Tokenizer {

    @Override
    public List<String> tokenize(String text) {
        String s = Normalizer.normalize(text, Normalizer.Form.NFC);
        if (lowercase) s = s.toLowerCase(Locale.ROOT);
        List<String> tokens = new ArrayList<>();
        boolean pendingSpace = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (WhitespaceTokenizer.isWhiteSpace(cp)) {
                pendingSpace = !tokens.isEmpty();
            } else {
                if (pendingSpace) tokens.add(" ");
                pendingSpace = false;
                tokens.add(s.substring(i, next));
            }
            i = next;
        }
        return tokens;
    }
}
