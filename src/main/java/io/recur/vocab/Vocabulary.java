package io.recur.vocab;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Token ids of one model. Ids 0-3 are reserved ({@link #PAD}, {@link #UNK}, {@link #BOS},
 * {@link #EOS}); corpus tokens follow in the order given, which the builder makes most frequent
 * first so that the same corpus always yields the same ids.
 *
 * <p>With unknown-word classes, a token that is not in the vocabulary maps to the most specific
 * class of its {@link WordShape#features features} that is (a token {@code <unk:Aa|ing>}), and to
 * {@link #UNK} only when none is. The classes are counted from the training tokens too rare to
 * keep, so a tagger learns from rare words what to make of a capitalised word ending in "ing"
 * instead of learning one answer for every word it has not seen.
 */
public final class Vocabulary implements Serializable {
    public static final String PAD = "<pad>";
    public static final String UNK = "<unk>";
    public static final String BOS = "<bos>";
    public static final String EOS = "<eos>";
    public static final int PAD_ID = 0;
    public static final int UNK_ID = 1;
    public static final int BOS_ID = 2;
    public static final int EOS_ID = 3;
    static final List<String> RESERVED = List.of(PAD, UNK, BOS, EOS);

    private final List<String> tokens;
    private final List<Long> counts;
    private final Map<String, Integer> ids;
    private final boolean unknownClasses;

    private Vocabulary(List<String> tokens, List<Long> counts, boolean unknownClasses) {
        this.unknownClasses = unknownClasses;
        this.tokens = List.copyOf(tokens);
        this.counts = List.copyOf(counts);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < tokens.size(); i++) index.put(tokens.get(i), i);
        this.ids = Collections.unmodifiableMap(index);
    }

    /**
     * @param corpusTokens tokens in id order (reserved tokens excluded)
     * @param counts       their training counts, same order
     */
    public static Vocabulary of(List<String> corpusTokens, List<Long> counts) {
        return of(corpusTokens, counts, false);
    }

    /**
     * @param corpusTokens   tokens in id order (reserved tokens excluded), unknown-word class tokens
     *                       ({@link #unknownClass}) among them when {@code unknownClasses}
     * @param counts         their training counts, same order
     * @param unknownClasses whether tokens outside the vocabulary map to their class
     */
    public static Vocabulary of(List<String> corpusTokens, List<Long> counts, boolean unknownClasses) {
        if (corpusTokens.size() != counts.size())
            throw new IllegalArgumentException(corpusTokens.size() + " tokens but " + counts.size() + " counts");
        List<String> all = new ArrayList<>(RESERVED);
        List<Long> allCounts = new ArrayList<>(Collections.nCopies(RESERVED.size(), 0L));
        var seen = new HashSet<>(RESERVED);
        for (int i = 0; i < corpusTokens.size(); i++) {
            String t = corpusTokens.get(i);
            if (!seen.add(t))
                throw new IllegalArgumentException("token '" + t + "' is reserved or listed twice");
            all.add(t);
            allCounts.add(counts.get(i));
        }
        return new Vocabulary(all, allCounts, unknownClasses);
    }

    /** The token that stands for the unseen words with this {@link WordShape} feature. */
    public static String unknownClass(String feature) {
        return "<unk:" + feature + ">";
    }

    /**
     * The id of a token; for a token not in the vocabulary, its unknown-word class's id when there
     * are classes, else {@link #UNK_ID}.
     */
    public int id(String token) {
        Integer id = ids.get(token);
        if (id != null) return id;
        if (unknownClasses) {
            for (String feature : WordShape.features(token)) {
                Integer c = ids.get(unknownClass(feature));
                if (c != null) return c;
            }
        }
        return UNK_ID;
    }

    /** Whether tokens outside the vocabulary map to unknown-word classes rather than all to {@link #UNK}. */
    public boolean hasUnknownClasses() {
        return unknownClasses;
    }

    public boolean contains(String token) {
        return ids.containsKey(token);
    }

    public String token(int id) {
        return tokens.get(id);
    }

    /** Training count of the token with this id (0 for reserved ids). */
    public long count(int id) {
        return counts.get(id);
    }

    /** Number of ids, reserved ones included. */
    public int size() {
        return tokens.size();
    }

    public int[] encode(List<String> sequence) {
        int[] out = new int[sequence.size()];
        for (int i = 0; i < out.length; i++) out[i] = id(sequence.get(i));
        return out;
    }

    /** All tokens in id order, reserved ones first. */
    public List<String> tokens() {
        return tokens;
    }

    List<Long> counts() {
        return counts;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vocabulary v && v.tokens.equals(tokens) && v.counts.equals(counts)
                && v.unknownClasses == unknownClasses;
    }

    @Override
    public int hashCode() {
        return tokens.hashCode();
    }
}
