package io.recur.task;

import io.recur.config.UserInputException;
import io.recur.corpus.Example;
import io.recur.corpus.TokenCount;
import io.recur.corpus.TokenCounter;
import io.recur.vocab.LabelSet;
import org.apache.spark.api.java.JavaRDD;

import java.util.List;

/** What a corpus task predicts besides tokens, read from the training split into the output columns. */
public enum Labels {
    /** Nothing: the outputs are the vocabulary. */
    NONE("token"),
    /** One label per example. */
    CLASSES("label"),
    /** One tag per token. */
    TAGS("tag");

    private final String word;

    Labels(String word) {
        this.word = word;
    }

    /** What one output is called in messages: label, tag or token. */
    public String word() {
        return word;
    }

    /** Every label (or tag) of {@code train} with its count; empty for {@link #NONE}. */
    public List<TokenCount> count(JavaRDD<Example> train) {
        return switch (this) {
            case NONE -> List.of();
            case CLASSES -> TokenCounter.labels(train);
            case TAGS -> TokenCounter.tags(train);
        };
    }

    /** The output columns of the counted labels, sorted by name; null for {@link #NONE}. */
    public LabelSet of(List<TokenCount> counts) {
        return switch (this) {
            case NONE -> null;
            case CLASSES -> {
                if (counts.size() < 2)
                    throw new UserInputException("corpus.path: the training split has " + counts.size() + " class"
                            + (counts.size() == 1 ? " ('" + counts.get(0).token() + "')" : "es")
                            + "; classification needs at least two labels");
                yield sorted(counts);
            }
            case TAGS -> sorted(counts);
        };
    }

    private static LabelSet sorted(List<TokenCount> counts) {
        return new LabelSet(counts.stream().map(TokenCount::token).sorted().toList());
    }
}
