package io.recur.score;

import io.recur.config.CorpusSpec;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.List;

/**
 * Where the rows to score come from: text files ({@link TextFileSource}) or a table read through
 * Spark SQL ({@link TableRowSource}), its id and text columns mapped to {@link ScoreRow}s. Nothing
 * after the rows depends on the container they came in.
 */
public interface ScoreSource {
    /** {@code input} read as {@code corpus} says: lines of text files, or a table's rows. */
    static ScoreSource of(String input, CorpusSpec corpus) {
        return corpus.source().table() ? new TableRowSource(input, corpus) : new TextFileSource(List.of(input), corpus);
    }

    /** What was read, for messages and the summary: the paths as given. */
    String describe();

    /**
     * Every row of the input, including those that cannot be scored, spread over at least
     * {@code sc.defaultParallelism()} partitions; lazy, like any RDD.
     */
    JavaRDD<ScoreRow> rows(JavaSparkContext sc);
}
