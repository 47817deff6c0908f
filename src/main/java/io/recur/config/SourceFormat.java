package io.recur.config;

/**
 * The container a corpus comes in ({@code corpus.source}): lines of text files, a table read
 * through one of Spark SQL's file readers, or a metastore table by name.
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
    JSON,
    /** A table of the Hive metastore, by name ({@code corpus.table}); its files are where the metastore says. */
    TABLE;

    /** Whether the corpus is a table whose columns {@code corpus.columns.*} name. */
    public boolean table() {
        return this != TEXT;
    }

    /** Whether the corpus is named by {@code corpus.table} rather than by {@code corpus.path}. */
    public boolean metastore() {
        return this == TABLE;
    }

    /** The spec's spelling, also Spark SQL's name of the reader of the files. */
    public String label() {
        return EnumNames.label(this);
    }
}
