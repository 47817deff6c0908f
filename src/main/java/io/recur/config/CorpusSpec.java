package io.recur.config;

import com.typesafe.config.Config;

import java.util.List;
import java.util.Objects;

/**
 * Where the corpus is and how to read it.
 *
 * @param paths             Hadoop URIs or paths: files, directories or globs; {@code .gz} is read transparently;
 *                          empty only for the synthetic tasks, which read no corpus, and for a metastore
 *                          table ({@code corpus.source = table}), whose files the metastore knows ({@link JobSpec} checks)
 * @param maxSequenceLength longer examples are truncated to this many tokens and counted
 * @param maxBadFraction    malformed lines are skipped up to this fraction of all lines; above it the job fails
 * @param tagSimplify       map Brown tags of a {@code tagged} corpus to their simple form as they are read
 *                          (see {@code io.recur.corpus.BrownTags})
 * @param maxLineBytes      a longer line (in bytes, as decompressed, without its line end) is a malformed line;
 *                          bounds the memory a reader needs for one line
 * @param joinLines         {@code text} format: consecutive non-blank lines of a file are joined with one space
 *                          into one example while it fits {@code maxSequenceLength} tokens; a blank line ends one
 * @param fieldSeparator    {@code text} format: the string between a line's fields; empty means the whole line
 *                          is the text
 * @param textField         with a field separator, the 1-based field where the text starts; it runs to the end
 *                          of the line, later separators included
 * @param source            the container: text files, or a table read by one of Spark SQL's readers
 * @param table             a table's columns, filter and CSV options; {@link TableSpec#NONE} for text files
 */
public record CorpusSpec(List<String> paths, CorpusFormat format, TokenizerKind tokenizer,
                         boolean lowercase, int maxSequenceLength, double maxBadFraction, boolean tagSimplify,
                         int maxLineBytes, boolean joinLines, String fieldSeparator, int textField,
                         SourceFormat source, TableSpec table) {
    static final int MAX_SEQUENCE_LENGTH_LIMIT = 100_000;
    static final int TEXT_FIELD_LIMIT = 1000;
    /** Lines are held in one byte array while they are decoded. */
    static final int MAX_LINE_BYTES_LIMIT = 1 << 30;

    public CorpusSpec {
        paths = List.copyOf(paths);
        if (paths.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("paths must contain no blank path, was " + paths);
        }
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(tokenizer, "tokenizer");
        if (maxSequenceLength < 1 || maxSequenceLength > MAX_SEQUENCE_LENGTH_LIMIT) {
            throw new IllegalArgumentException("maxSequenceLength must be in 1.." + MAX_SEQUENCE_LENGTH_LIMIT
                    + ", was " + maxSequenceLength);
        }
        if (!(maxBadFraction >= 0 && maxBadFraction <= 1)) {
            throw new IllegalArgumentException("maxBadFraction must be in [0, 1], was " + maxBadFraction);
        }
        if (maxLineBytes < 1 || maxLineBytes > MAX_LINE_BYTES_LIMIT) {
            throw new IllegalArgumentException("maxLineBytes must be in 1.." + MAX_LINE_BYTES_LIMIT + ", was " + maxLineBytes);
        }
        Objects.requireNonNull(fieldSeparator, "fieldSeparator");
        if (textField < 1 || textField > TEXT_FIELD_LIMIT) {
            throw new IllegalArgumentException("textField must be in 1.." + TEXT_FIELD_LIMIT + ", was " + textField);
        }
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(table, "table");
    }

    /** Text files, as read before tables existed. */
    public CorpusSpec(List<String> paths, CorpusFormat format, TokenizerKind tokenizer, boolean lowercase,
                      int maxSequenceLength, double maxBadFraction, boolean tagSimplify, int maxLineBytes,
                      boolean joinLines, String fieldSeparator, int textField) {
        this(paths, format, tokenizer, lowercase, maxSequenceLength, maxBadFraction, tagSimplify, maxLineBytes,
                joinLines, fieldSeparator, textField, SourceFormat.TEXT, TableSpec.NONE);
    }

    /** The same reading rules applied to a table with these columns. */
    public CorpusSpec withTable(SourceFormat otherSource, TableSpec otherTable) {
        return new CorpusSpec(paths, format, tokenizer, lowercase, maxSequenceLength, maxBadFraction, tagSimplify,
                maxLineBytes, joinLines, fieldSeparator, textField, otherSource, otherTable);
    }

    /**
     * What splits a text into tokens: {@code corpus.tokenizer}, or white space when the tokens come
     * ready-made from a tokens column (so {@code predict} splits its input as the table was split).
     */
    public TokenizerKind textTokenizer() {
        return table.readyTokens() ? TokenizerKind.WHITESPACE : tokenizer;
    }

    /** Lines as they stand: one example per line, the whole line its text. */
    public CorpusSpec(List<String> paths, CorpusFormat format, TokenizerKind tokenizer, boolean lowercase,
                      int maxSequenceLength, double maxBadFraction, boolean tagSimplify, int maxLineBytes) {
        this(paths, format, tokenizer, lowercase, maxSequenceLength, maxBadFraction, tagSimplify, maxLineBytes,
                false, "", 1);
    }

    /** A spec that keeps tags as written and reads lines of up to 1 MiB, as recur-reference.conf does. */
    public CorpusSpec(List<String> paths, CorpusFormat format, TokenizerKind tokenizer,
                      boolean lowercase, int maxSequenceLength, double maxBadFraction) {
        this(paths, format, tokenizer, lowercase, maxSequenceLength, maxBadFraction, false, 1 << 20);
    }

    /** The same reading rules applied to other files. */
    public CorpusSpec withPaths(List<String> otherPaths) {
        return new CorpusSpec(otherPaths, format, tokenizer, lowercase, maxSequenceLength, maxBadFraction, tagSimplify,
                maxLineBytes, joinLines, fieldSeparator, textField, source, table);
    }

    /**
     * What the corpus is read from, as a user names it: the paths, or for {@code corpus.source = table}
     * the one table name. {@code evaluate --input} and {@code score --input} name the same kind of thing.
     */
    public List<String> inputs() {
        return source.metastore() ? List.of(table.name()) : paths;
    }

    /** The same reading rules applied to other inputs: paths, or one metastore table's name ({@link #inputs}). */
    public CorpusSpec withInputs(List<String> otherInputs) {
        if (!source.metastore()) return withPaths(otherInputs);
        if (otherInputs.size() != 1)
            throw new IllegalArgumentException("corpus.source = table reads one table, was " + otherInputs);
        return new CorpusSpec(paths, format, tokenizer, lowercase, maxSequenceLength, maxBadFraction, tagSimplify,
                maxLineBytes, joinLines, fieldSeparator, textField, source, table.withName(otherInputs.get(0).strip()));
    }

    /** The same spec with another line length limit. */
    public CorpusSpec withMaxLineBytes(int otherMaxLineBytes) {
        return new CorpusSpec(paths, format, tokenizer, lowercase, maxSequenceLength, maxBadFraction, tagSimplify,
                otherMaxLineBytes, joinLines, fieldSeparator, textField, source, table);
    }

    /** Reads {@code corpus.*} of a resolved job spec. */
    static CorpusSpec from(Config root) {
        SpecReader r = new SpecReader(root);
        return new CorpusSpec(
                root.hasPath("corpus.path") ? r.strings("corpus.path") : List.of(),
                r.oneOf("corpus.format", CorpusFormat.class),
                r.oneOf("corpus.tokenizer", TokenizerKind.class),
                r.bool("corpus.lowercase"),
                r.wholeInt("corpus.max-sequence-length", 1, MAX_SEQUENCE_LENGTH_LIMIT),
                r.decimal("corpus.max-bad-fraction", f -> f >= 0 && f <= 1, "a fraction in [0, 1]"),
                r.bool("corpus.tag-simplify"),
                r.wholeInt("corpus.max-line-bytes", 1, MAX_LINE_BYTES_LIMIT),
                r.bool("corpus.join-lines"),
                r.verbatimString("corpus.field-separator"),
                r.wholeInt("corpus.text-field", 1, TEXT_FIELD_LIMIT),
                r.oneOf("corpus.source", SourceFormat.class),
                TableSpec.from(root));
    }
}
