package io.recur.vocab;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What can be said of a word never seen in training: its shape (capitals, digits, hyphen) and its
 * last few characters, the way TnT (Brants 2000) guesses unknown words. The suffix-and-shape
 * tagging baseline and the vocabulary's unknown-word classes both use these features, so a model
 * and its baseline know the same about an unseen word.
 */
public final class WordShape {
    /** Longest suffix, in characters, that a feature holds. */
    public static final int MAX_SUFFIX = 3;

    private WordShape() {}

    /**
     * The features of a word, most specific first: its shape with its last 3, 2 and 1 characters
     * (lower-cased), then its shape alone.
     */
    public static List<String> features(String word) {
        String shape = shape(word);
        String lower = word.toLowerCase(Locale.ROOT);
        List<String> out = new ArrayList<>(MAX_SUFFIX + 1);
        for (int n = Math.min(MAX_SUFFIX, lower.length()); n >= 1; n--)
            out.add(shape + "|" + lower.substring(lower.length() - n));
        out.add(shape);
        return out;
    }

    /** {@code A} all capitals, {@code Aa} capitalised, {@code a} otherwise; {@code 9} if it has a digit, {@code -} a hyphen. */
    public static String shape(String word) {
        boolean letters = false, allUpper = true;
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (Character.isLetter(c)) {
                letters = true;
                if (!Character.isUpperCase(c)) allUpper = false;
            }
        }
        String caps = letters && allUpper && word.length() > 1 ? "A"
                : !word.isEmpty() && Character.isUpperCase(word.charAt(0)) ? "Aa" : "a";
        return caps + (word.chars().anyMatch(Character::isDigit) ? "9" : "") + (word.indexOf('-') >= 0 ? "-" : "");
    }
}
