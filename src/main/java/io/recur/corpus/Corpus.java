package io.recur.corpus;

import org.apache.spark.api.java.JavaRDD;

import java.util.ArrayList;

/**
 * A corpus read by {@link CorpusReader}: the usable examples, cached, each with its stable split,
 * and the statistics of the read. Malformed and empty lines are not among the examples.
 */
public final class Corpus {
    /** The cached examples, one list per partition. */
    private final JavaRDD<ArrayList<Example>> blocks;
    private final JavaRDD<Example> examples;
    private final CorpusStats stats;

    Corpus(JavaRDD<ArrayList<Example>> blocks, CorpusStats stats) {
        this.blocks = blocks;
        this.examples = blocks.flatMap(ArrayList::iterator);
        this.stats = stats;
    }

    /** All examples, read from the cache; at least {@code sc.defaultParallelism()} partitions. */
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

    /** Drops the cached examples; {@link #examples()} would read the corpus again. */
    public void unpersist() {
        blocks.unpersist(false);
    }
}
