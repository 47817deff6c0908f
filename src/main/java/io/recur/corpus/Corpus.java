package io.recur.corpus;

import org.apache.spark.api.java.JavaRDD;

/**
 * A corpus read by {@link CorpusReader}: the usable examples, cached, each with its stable split,
 * and the statistics of the read. Malformed and empty lines are not among the examples.
 */
public final class Corpus {
    private final JavaRDD<Example> examples;
    private final CorpusStats stats;

    Corpus(JavaRDD<Example> examples, CorpusStats stats) {
        this.examples = examples;
        this.stats = stats;
    }

    /** All examples, cached; at least {@code sc.defaultParallelism()} partitions. */
    public JavaRDD<Example> examples() {
        return examples;
    }

    /** The examples of one split (a lazy filter over {@link #examples()}). */
    public JavaRDD<Example> split(Split s) {
        return examples.filter(e -> e.split() == s);
    }

    public CorpusStats stats() {
        return stats;
    }
}
