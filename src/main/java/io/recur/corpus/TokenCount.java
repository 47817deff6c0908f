package io.recur.corpus;

import java.io.Serializable;
import java.util.Comparator;

/** How often a token (or label, or tag) occurs. */
public record TokenCount(String token, long count) implements Serializable {

    /** Count descending, then token ascending: a total order, so ties never depend on task order. */
    static final Comparator<TokenCount> MOST_FREQUENT_FIRST =
            Comparator.comparingLong(TokenCount::count).reversed().thenComparing(TokenCount::token);
}
