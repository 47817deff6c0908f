package io.recur.corpus;

import io.recur.config.CorpusSpec;
import io.recur.config.EnumNames;
import io.recur.config.SplitSpec;
import io.recur.config.UserInputException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Reads a tokenized corpus from any Hadoop file system through its {@link CorpusSource} (text
 * files, or a table) and assigns each example its {@link StableSplit stable split}.
 *
 * <p>The source reads on the executors, one block per task: a text file is read by one task
 * ({@link LineSource}: a corpus of many files is read in parallel, a single large file by one
 * core), a table by as many tasks as Spark's reader makes of it ({@link TableSource}). The
 * examples are then repartitioned to at least {@code sc.defaultParallelism()} partitions and cached.
 *
 * <p>Malformed lines or rows are skipped and reported as {@code file:line: reason} (a row by its
 * file, row and id); above
 * {@code corpus.max-bad-fraction} of all lines, or when the corpus ends up without examples,
 * reading throws a {@link CorpusException}; and so does a split with a non-zero fraction left
 * without examples, when the corpus is read {@link Use#FOR_TRAINING}.
 */
public final class CorpusReader {
    private CorpusReader() {}

    /** What the examples are for, which decides whether every split must have some. */
    public enum Use {
        /** Training needs examples in every split its fractions name (train, validation, test). */
        FOR_TRAINING,
        /** Scoring a saved model (evaluate) reads whatever the corpus holds; the caller checks the split it scores. */
        FOR_SCORING
    }

    /** Reads the corpus for training: see {@link Use#FOR_TRAINING}. */
    public static Corpus read(JavaSparkContext sc, CorpusSpec corpus, SplitSpec split) {
        return read(sc, corpus, split, Use.FOR_TRAINING);
    }

    public static Corpus read(JavaSparkContext sc, CorpusSpec corpus, SplitSpec split, Use use) {
        CorpusSource source = CorpusSource.of(corpus);
        CorpusSource.Read read = source.read(sc, new RecordLayout(corpus, split));
        // Each file and each partition of examples is cached as one element (a list): Spark sizes a
        // deserialized cache by walking a sample of it every time it grows by a tenth, which for one
        // element per example cost as much as reading and tokenizing the corpus.
        JavaRDD<CorpusSource.Block> blocks = read.blocks().persist(StorageLevel.MEMORY_AND_DISK());
        boolean succeeded = false;
        try {
            Corpus examples = examples(sc, blocks, read, corpus, split, source.items(), use);
            succeeded = true;
            return examples;
        } catch (Exception e) {
            // Spark throws its (checked) SparkException undeclared; a bad file found by a task is the
            // user's error, whether its exception came back as the cause or only as text.
            Optional<UserInputException> user = TaskErrors.userError(e);
            if (user.isPresent() && user.get() != e) throw new CorpusException(user.get().getMessage(), e);
            throw e;
        } finally {
            // A source's broadcasts stay: the examples' lineage needs them if a cached partition is lost. After a
            // failure Spark is stopped next, and a removal still under way would then have its reply
            // refused by a stopped thread pool, which prints a stack trace: so wait for it.
            blocks.unpersist(!succeeded);
        }
    }

    /**
     * Every line of the corpus's files for scoring, bad ones included, in {@code sc.defaultParallelism()}
     * or more partitions: unlike {@link #read}, which drops malformed and empty lines after counting
     * them, a scorer must answer or reject each line. The bytes are checked as for training (strict
     * UTF-8, no NUL, at most {@code corpus.max-line-bytes}, a whole file that is no UTF-8 text is a
     * {@link CorpusException}), but {@code corpus.format} is not applied: each line is one text.
     */
    public static JavaRDD<SourceLine> lines(JavaSparkContext sc, CorpusSpec corpus) {
        LineParser verbatim = LineParser.verbatim();
        int maxLineBytes = corpus.maxLineBytes();
        List<String> files = CorpusFiles.resolve(corpus.paths(), sc.hadoopConfiguration());
        Broadcast<HashMap<String, String>> conf = sc.broadcast(LineSource.settings(sc.hadoopConfiguration()));
        JavaRDD<SourceLine> lines = sc.parallelize(files, files.size()).flatMap(path -> {
            Iterator<ReadItem> items = LineSource.open(path, conf.value(), verbatim, maxLineBytes);
            return new Iterator<SourceLine>() {
                private SourceLine next;

                @Override
                public boolean hasNext() {
                    while (next == null && items.hasNext()) next = sourceLine(items.next());
                    return next != null;
                }

                @Override
                public SourceLine next() {
                    if (!hasNext()) throw new NoSuchElementException(path + " has been read to its end");
                    SourceLine line = next;
                    next = null;
                    return line;
                }
            };
        });
        // One task reads a file; scoring is the expensive part, so spread it over every core.
        int partitions = Math.max(sc.defaultParallelism(), files.size());
        return files.size() >= partitions ? lines : lines.repartition(partitions);
    }

    /**
     * Every row of a table corpus ({@code corpus.source} other than text) for scoring, rows without
     * a text included, in {@code sc.defaultParallelism()} or more partitions. The columns and
     * {@code corpus.where} are checked on the driver as for {@link #read}; only the text (or tokens)
     * and id columns are read.
     */
    public static JavaRDD<TableRow> tableRows(JavaSparkContext sc, CorpusSpec corpus) {
        if (!(CorpusSource.of(corpus) instanceof TableSource table))
            throw new IllegalArgumentException("corpus.source = " + corpus.source().label() + " is no table; read its lines");
        JavaRDD<TableRow> rows = table.rows(sc);
        return rows.getNumPartitions() >= sc.defaultParallelism() ? rows : rows.repartition(sc.defaultParallelism());
    }

    private static SourceLine sourceLine(ReadItem item) {
        if (item instanceof ReadItem.Verbatim v) return new SourceLine(v.file(), v.line(), v.text(), null);
        if (item instanceof ReadItem.Bad b) return new SourceLine(b.file(), b.line(), null, b.reason());
        return null;
    }

    private static Corpus examples(JavaSparkContext sc, JavaRDD<CorpusSource.Block> read, CorpusSource.Read source,
                                   CorpusSpec corpus, SplitSpec split, String items, Use use) {
        CorpusStats stats = read.aggregate(new StatsAggregator(), (a, b) -> a.merge(b.stats()), StatsAggregator::merge)
                .toStats();
        if (source.files() != null)
            stats = stats.withFiles(source.files().files().size(), source.files().bytes(), source.files().digest());
        check(stats, corpus, split, use, items);
        int partitions = Math.max(sc.defaultParallelism(), source.tasks());
        JavaRDD<ArrayList<Example>> blocks = read
                .flatMap(b -> b.examples().iterator())
                .repartition(partitions)
                .mapPartitions(CorpusReader::block, true)
                .persist(StorageLevel.MEMORY_AND_DISK());
        blocks.count();
        return new Corpus(blocks, stats);
    }

    private static Iterator<ArrayList<Example>> block(Iterator<Example> examples) {
        ArrayList<Example> block = new ArrayList<>();
        examples.forEachRemaining(block::add);
        return List.of(block).iterator();
    }

    private static void check(CorpusStats stats, CorpusSpec corpus, SplitSpec split, Use use, String items) {
        long lines = stats.lines();
        double badFraction = lines == 0 ? 0 : (double) stats.skippedBad() / lines;
        if (badFraction > corpus.maxBadFraction())
            throw new CorpusException(String.format(Locale.ROOT,
                    "%d of %d %s are malformed (%.2f%%), above corpus.max-bad-fraction %s; "
                            + "fix the %s, check corpus.format (%s), or raise the limit. First malformed %s:%n  %s",
                    stats.skippedBad(), lines, items, 100 * badFraction, corpus.maxBadFraction(), items,
                    EnumNames.label(corpus.format()), items,
                    String.join(System.lineSeparator() + "  ", stats.badExamples())));
        if (stats.examples() == 0)
            throw new CorpusException("corpus is empty: " + stats.files() + " files with " + lines + " " + items + " ("
                    + stats.skippedEmpty() + " empty, " + stats.skippedBad() + " malformed) gave no examples; check "
                    + (corpus.source().metastore() ? "corpus.table " : "corpus.path ")
                    + corpus.inputs() + (corpus.table().where().isEmpty() ? "" : " and corpus.where"));
        if (use == Use.FOR_SCORING) return;
        checkSplit(stats, Split.TRAIN, split.trainFraction(), split);
        checkSplit(stats, Split.VALIDATION, split.validationFraction(), split);
        checkSplit(stats, Split.TEST, split.testFraction(), split);
    }

    private static void checkSplit(CorpusStats stats, Split s, double fraction, SplitSpec split) {
        if (fraction > 0 && stats.split(s).read() == 0) {
            String name = EnumNames.label(s);
            throw new CorpusException(String.format(Locale.ROOT,
                    "the %s split is empty: none of the %d examples hashed into it (split fractions train %s, "
                            + "validation %s, test %s); use a larger corpus or raise split.%s",
                    name, stats.examples(), split.trainFraction(), split.validationFraction(), split.testFraction(), name));
        }
    }
}
