package io.recur.config;

/**
 * The container a corpus comes in ({@code corpus.source}): lines of text files, or a table read
 * through one of Spark SQL's file readers.
 */
public enum SourceFormat {
    /** Text files, one example per line laid out by {@code corpus.format}. */
    TEXT,
    /** Parquet files or a directory of them (a partitioned table's location). */
    PARQUET,
    /** ORC files. */
    ORC,
    /** CSV files, read with {@code corpus.csv.*}. */
    CSV,
    /** JSON lines: one object per line. */
    JSON;

    /** Whether the corpus is a table whose columns {@code corpus.columns.*} name. */
    public boolean table() {
        return this != TEXT;
    }

    /** The spec's spelling, also Spark SQL's name of the reader. */
    public String label() {
        return EnumNames.label(this);
    }
}
