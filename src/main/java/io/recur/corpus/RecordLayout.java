package io.recur.corpus;

import io.recur.config.CorpusFormat;
import io.recur.config.CorpusSpec;
import io.recur.config.SplitSpec;
import io.recur.config.TokenizerKind;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * Turns a {@link CorpusRecord} into an example, the same whatever source it came from: the text
 * tokenized by {@code corpus.tokenizer} (or the tokens taken as they are), lower-cased, the tags
 * simplified ({@code corpus.tag-simplify}), truncated to {@code corpus.max-sequence-length}, and
 * its split assigned from the record's {@link CorpusRecord#splitKey() canonical fields}. A record
 * without tokens is an empty line of a text file (skipped) and a malformed row of a table; a row
 * whose tags are not one per token is malformed.
 */
public final class RecordLayout implements Serializable {
    private final CorpusFormat format;
    private final Tokenizer tokenizer;
    private final boolean lowercase;
    private final boolean tagSimplify;
    private final int maxSequenceLength;
    private final StableSplit split;

    public RecordLayout(CorpusSpec corpus, SplitSpec split) {
        if (corpus.maxSequenceLength() < 1)
            throw new CorpusException("corpus.max-sequence-length must be >= 1, was " + corpus.maxSequenceLength());
        this.format = corpus.format();
        this.tokenizer = Tokenizer.of(corpus.tokenizer(), corpus.lowercase());
        this.lowercase = corpus.lowercase();
        this.tagSimplify = corpus.tagSimplify();
        this.maxSequenceLength = corpus.maxSequenceLength();
        this.split = new StableSplit(split);
    }

    /**
     * How {@code predict} reads a line of its input as the corpus's text: from {@code corpus.text-field} on
     * when the corpus's lines had fields, then split into tokens by {@code kind}.
     *
     * @param kind      the task's tokenizer for the corpus ({@code CorpusTask.tokenizer})
     * @param lowercase whether tokens come back lower-cased (a tagger prints them as they came)
     */
    public static Tokenizer forInput(CorpusSpec corpus, TokenizerKind kind, boolean lowercase) {
        Tokenizer tokens = Tokenizer.of(kind, lowercase);
        if (corpus.source().table() || corpus.fieldSeparator().isEmpty()) return tokens;
        LineParser fields = LineParser.fields(corpus);
        return line -> {
            String text = fields.text(line);
            return text == null ? List.of() : tokens.tokenize(text);
        };
    }

    CorpusFormat format() {
        return format;
    }

    int maxSequenceLength() {
        return maxSequenceLength;
    }

    List<String> tokenize(String text) {
        return tokenizer.tokenize(text);
    }

    ReadItem example(CorpusRecord r) {
        List<String> tokens = r.tokens() == null ? tokenizer.tokenize(r.text())
                : lowercase ? r.tokens().stream().map(t -> t.toLowerCase(Locale.ROOT)).toList() : r.tokens();
        CorpusRecord.Origin origin = r.origin();
        if (tokens.isEmpty())
            return origin.row() ? new ReadItem.Bad(origin, "no tokens", r.text() == null ? "no tokens" : "a text without tokens")
                    : new ReadItem.Empty();
        List<String> tags = r.tags();
        if (tags != null) {
            if (tags.size() != tokens.size())
                return new ReadItem.Bad(origin, "tags not one per token",
                        tags.size() + " tags for " + tokens.size() + " tokens (expected one tag per token)");
            if (tagSimplify) tags = tags.stream().map(BrownTags::simplify).toList();
        }
        boolean truncated = tokens.size() > maxSequenceLength;
        if (truncated) {
            tokens = tokens.subList(0, maxSequenceLength);
            if (tags != null) tags = tags.subList(0, maxSequenceLength);
        }
        return new ReadItem.Parsed(new Example(origin.describe(), r.label(), tokens, tags, truncated,
                split.assign(r.splitKey())));
    }
}
