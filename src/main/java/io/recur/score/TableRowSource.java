package io.recur.score;

import io.recur.config.CorpusSpec;
import io.recur.corpus.CorpusReader;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.List;

/**
 * A table (Parquet, ORC, CSV, JSON lines or a metastore table), one row per row: the text column's
 * value, or the tokens column's tokens joined by a space, which the run's white-space tokenizer
 * splits as the table did. The key is the {@code corpus.columns.id} value, else the row's file and
 * row. The columns and {@code corpus.where} are checked on the driver, as for training.
 */
public final class TableRowSource implements ScoreSource {
    private final String input;
    private final CorpusSpec corpus;

    /** @param corpus how the table is read ({@code corpus.source}, columns, filter); {@code input} names it */
    public TableRowSource(String input, CorpusSpec corpus) {
        this.input = input;
        this.corpus = corpus.withInputs(List.of(input));
    }

    @Override
    public String describe() {
        return input;
    }

    @Override
    public JavaRDD<ScoreRow> rows(JavaSparkContext sc) {
        return CorpusReader.tableRows(sc, corpus).map(row -> new ScoreRow(row.key(), row.text(), row.problem()));
    }
}
