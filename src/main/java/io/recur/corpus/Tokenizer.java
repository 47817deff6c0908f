package io.recur.corpus;

import io.recur.config.TokenizerKind;

import java.io.Serializable;
import java.util.List;

/**
 * Turns one line of text into tokens. Implementations are immutable and serializable, so one
 * instance is shipped to every Spark task; the same text always gives the same tokens.
 *
 * <ul>
 *   <li>{@link TokenizerKind#WHITESPACE}: the text is already tokenized; it is split on runs of
 *       Unicode white space and tokens are taken as given (no normalisation).</li>
 *   <li>{@link TokenizerKind#WORD}: NFC-normalised; a word is a run of letters, combining marks and
 *       digits/numbers, which may contain an apostrophe ({@code ' U+2019}) or hyphen
 *       ({@code - U+2010 U+2011}) only between two such characters ({@code don't}, {@code e-mail});
 *       every other non-white-space character (punctuation, symbols, emoji, a leading or trailing
 *       apostrophe) is a token of its own.</li>
 *   <li>{@link TokenizerKind#CHAR}: NFC-normalised; one token per Unicode code point (so a
 *       precomposed Hangul syllable, a CJK ideograph or an emoji outside the BMP is one token);
 *       each run of white space becomes one {@code " "} token and leading or trailing white space
 *       is dropped.</li>
 * </ul>
 * With {@code lowercase}, text is lower-cased with {@link java.util.Locale#ROOT} after
 * normalisation, so results do not depend on the machine's locale.
 */
public interface Tokenizer extends Serializable {

    /** The tokens of {@code text}, in order; empty when the text has none. */
    List<String> tokenize(String text);

    static Tokenizer of(TokenizerKind kind, boolean lowercase) {
        return switch (kind) {
            case WHITESPACE -> new WhitespaceTokenizer(lowercase);
            case WORD -> new WordTokenizer(lowercase);
            case CHAR -> new CharTokenizer(lowercase);
        };
    }
}
