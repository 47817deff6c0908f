package io.recur.serve;

import java.util.List;
import java.util.Map;

/** What {@code POST /predict} answers for one text; the shape depends on the task (docs/serving.md). */
sealed interface Answer {

    /**
     * A classifier's answer: the most likely label and the probability of every label.
     *
     * @param probabilities by label, in the model's label order
     */
    record Labels(String label, double probability, Map<String, Double> probabilities) implements Answer {}

    /** A language model's most likely tokens to follow the whole text, most likely first. */
    record NextTokens(List<TokenProbability> next) implements Answer {}

    /** A tagger's most likely tag of each white-space separated token, in order. */
    record Tags(List<TaggedToken> tokens) implements Answer {}

    record TokenProbability(String token, double probability) {}

    record TaggedToken(String token, String tag) {}
}
