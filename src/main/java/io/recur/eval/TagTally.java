package io.recur.eval;

import java.io.Serializable;

/**
 * What scoring a tagger on held-out tokens adds up, mergeable across partitions. Only real tokens
 * count, never padding; a token whose tag is not in the tag set is counted in
 * {@link #unknownTags()} and otherwise skipped.
 */
public final class TagTally implements Serializable {
    final long[][] confusion;
    double nllNats;
    long tokens;
    long examples;
    long unseenTokens;
    long unseenCorrect;
    long unknownTags;

    public TagTally(int tags) {
        this.confusion = new long[tags][tags];
    }

    /** One scored token; {@code unseen} = its word never occurs in the training split. */
    public void add(int actual, int predicted, boolean unseen) {
        confusion[actual][predicted]++;
        tokens++;
        if (unseen) {
            unseenTokens++;
            if (actual == predicted) unseenCorrect++;
        }
    }

    /** One example scored, for a tagger other than the network (a baseline); its tokens go to {@link #add}. */
    public void addExample() {
        examples++;
    }

    /** A token whose tag is not in the tag set: counted, not scored. */
    public void addUnknownTag() {
        unknownTags++;
    }

    public TagTally merge(TagTally other) {
        for (int i = 0; i < confusion.length; i++)
            for (int j = 0; j < confusion.length; j++) confusion[i][j] += other.confusion[i][j];
        nllNats += other.nllNats;
        tokens += other.tokens;
        examples += other.examples;
        unseenTokens += other.unseenTokens;
        unseenCorrect += other.unseenCorrect;
        unknownTags += other.unknownTags;
        return this;
    }

    /** Scored tokens. */
    public long tokens() {
        return tokens;
    }

    public long examples() {
        return examples;
    }

    public long unseenTokens() {
        return unseenTokens;
    }

    public long unknownTags() {
        return unknownTags;
    }

    public double tokenAccuracy() {
        long correct = 0;
        for (int i = 0; i < confusion.length; i++) correct += confusion[i][i];
        return tokens == 0 ? Double.NaN : (double) correct / tokens;
    }

    /** Accuracy on the tokens whose word never occurs in the training split; NaN if there were none. */
    public double unseenTokenAccuracy() {
        return unseenTokens == 0 ? Double.NaN : (double) unseenCorrect / unseenTokens;
    }

    /** Mean negative log-likelihood (nats) of the actual tag per scored token. */
    public double meanNll() {
        return tokens == 0 ? Double.NaN : nllNats / tokens;
    }

    long[][] confusion() {
        return confusion;
    }
}
