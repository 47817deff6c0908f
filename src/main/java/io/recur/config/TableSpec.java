package io.recur.config;

import com.typesafe.config.Config;

import java.util.Objects;

/**
 * How a table corpus ({@code corpus.source} other than {@code text}) maps to examples: the columns
 * that hold the text or the tokens, the label, the tags and an id, a filter, and the CSV reader's
 * options. An empty string is an unset column or filter.
 *
 * @param textColumn   a string column, tokenized by {@code corpus.tokenizer}
 * @param tokensColumn an {@code array<string>} column of ready-made tokens (used as they are)
 * @param labelColumn  a string column with the class ({@code corpus.format = labeled})
 * @param tagsColumn   an {@code array<string>} column, one tag per token ({@code corpus.format = tagged})
 * @param idColumn     any column whose value names a row in messages
 * @param where        a Spark SQL boolean expression; only rows for which it is true are read
 * @param csv          the CSV reader's options, for {@code corpus.source = csv}
 * @param name         {@code corpus.source = table}: the metastore table, {@code db.name} or {@code name}
 */
public record TableSpec(String textColumn, String tokensColumn, String labelColumn, String tagsColumn,
                        String idColumn, String where, Csv csv, String name) {

    /**
     * @param header    whether the first line of each file names the columns (else they are {@code _c0, _c1, ...})
     * @param delimiter the field separator, one character
     * @param quote     the quote character
     * @param escape    the character that escapes a quote inside a quoted field
     * @param multiLine whether a quoted field may span lines (a file is then read by one task)
     */
    public record Csv(boolean header, String delimiter, String quote, String escape, boolean multiLine) {
        public Csv {
            for (String c : new String[]{delimiter, quote, escape})
                if (Objects.requireNonNull(c).codePointCount(0, c.length()) != 1)
                    throw new IllegalArgumentException("csv delimiter, quote and escape must be one character, was '" + c + "'");
        }
    }

    /** What a text corpus has: no columns, no filter, the reference CSV options. */
    public static final TableSpec NONE = new TableSpec("", "", "", "", "", "", new Csv(true, ",", "\"", "\\", false), "");

    /** A table of files ({@code corpus.path}), not named in a metastore. */
    public TableSpec(String textColumn, String tokensColumn, String labelColumn, String tagsColumn,
                     String idColumn, String where, Csv csv) {
        this(textColumn, tokensColumn, labelColumn, tagsColumn, idColumn, where, csv, "");
    }

    public TableSpec {
        Objects.requireNonNull(textColumn, "textColumn");
        Objects.requireNonNull(tokensColumn, "tokensColumn");
        Objects.requireNonNull(labelColumn, "labelColumn");
        Objects.requireNonNull(tagsColumn, "tagsColumn");
        Objects.requireNonNull(idColumn, "idColumn");
        Objects.requireNonNull(where, "where");
        Objects.requireNonNull(csv, "csv");
        Objects.requireNonNull(name, "name");
    }

    /** The same columns and filter read from another metastore table. */
    public TableSpec withName(String otherName) {
        return new TableSpec(textColumn, tokensColumn, labelColumn, tagsColumn, idColumn, where, csv, otherName);
    }

    /** Whether the tokens come ready-made from a column rather than from tokenizing a text. */
    public boolean readyTokens() {
        return !tokensColumn.isEmpty();
    }

    static TableSpec from(Config root) {
        SpecReader r = new SpecReader(root);
        return new TableSpec(
                r.verbatimString("corpus.columns.text").strip(),
                r.verbatimString("corpus.columns.tokens").strip(),
                r.verbatimString("corpus.columns.label").strip(),
                r.verbatimString("corpus.columns.tags").strip(),
                r.verbatimString("corpus.columns.id").strip(),
                r.verbatimString("corpus.where").strip(),
                new Csv(r.bool("corpus.csv.header"), character(r, "corpus.csv.delimiter"),
                        character(r, "corpus.csv.quote"), character(r, "corpus.csv.escape"), r.bool("corpus.csv.multi-line")),
                r.verbatimString("corpus.table").strip());
    }

    private static String character(SpecReader r, String key) {
        String c = r.verbatimString(key);
        if (c.codePointCount(0, c.length()) != 1)
            throw r.bad(key, r.valueOrNull(key), "expected one character, e.g. \",\" or \"\\t\"");
        return c;
    }
}
