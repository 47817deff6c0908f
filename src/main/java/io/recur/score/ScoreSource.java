package io.recur.score;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Where the rows to score come from. Text files are one source ({@link TextFileSource}); a table
 * read through Spark SQL (issue 16, section 1) is another, mapping its id and text columns to
 * {@link ScoreRow}s: nothing after the rows depends on the container they came in.
 */
public interface ScoreSource {
    /** What was read, for messages and the summary: the paths as given. */
    String describe();

    /**
     * Every row of the input, including those that cannot be scored, spread over at least
     * {@code sc.defaultParallelism()} partitions; lazy, like any RDD.
     */
    JavaRDD<ScoreRow> rows(JavaSparkContext sc);
}
