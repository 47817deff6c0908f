package io.recur.corpus;

import io.recur.config.CorpusSpec;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;

/**
 * A container of examples: what turns lines of text files, or the rows of a table, into
 * {@link CorpusRecord}s and those, through the {@link RecordLayout}, into examples. Everything
 * after it (the statistics, the malformed fraction, the split checks, the cache) is the
 * {@link CorpusReader}'s and does not depend on the container. A new source is a new class here
 * and a case in {@link #of}; see docs/architecture.md, "How to add a source".
 */
public sealed interface CorpusSource permits LineSource, TableSource {

    /** The source {@code corpus.source} names; the switch has no default, so a new kind does not compile without its class. */
    static CorpusSource of(CorpusSpec corpus) {
        return switch (corpus.source()) {
            case TEXT -> new LineSource(corpus);
            case PARQUET, ORC, CSV, JSON, TABLE -> new TableSource(corpus);
        };
    }

    /**
     * Reads the corpus on the executors: one block per task, each with its examples and the
     * statistics of what it read. Fails before any Spark job for what the driver can see (a
     * missing path, a missing column).
     */
    Read read(JavaSparkContext sc, RecordLayout layout);

    /** What one item of the source is called in messages: {@code lines} or {@code rows}. */
    String items();

    /**
     * What a source read.
     *
     * @param blocks the blocks, lazy; the reader persists them
     * @param tasks  how many tasks read them
     * @param files  the files as listed on the driver (a table's), or null when the blocks report their
     *               files themselves as they read them (text files, which are hashed as they are read)
     */
    record Read(JavaRDD<Block> blocks, int tasks, TableFiles files) {}

    /** One task's examples, in the order read, and the statistics of reading them. */
    record Block(ArrayList<Example> examples, StatsAggregator stats) implements Serializable {
        static Block of(Iterator<ReadItem> items) {
            ArrayList<Example> examples = new ArrayList<>();
            StatsAggregator stats = new StatsAggregator();
            while (items.hasNext()) {
                ReadItem item = items.next();
                stats.add(item);
                if (item instanceof ReadItem.Parsed p) examples.add(p.example());
            }
            return new Block(examples, stats);
        }
    }
}
