package io.recur.corpus;

import io.recur.config.CorpusSpec;
import io.recur.config.SplitSpec;
import io.recur.config.UserInputException;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.TaskCompletionListener;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Reads a tokenized corpus from any Hadoop file system and assigns each example its
 * {@link StableSplit stable split}.
 *
 * <p>The paths are expanded on the driver ({@link CorpusFiles}); then each file is read by one
 * Spark task, so a corpus of many files is read in parallel but a single large file is read by
 * one core (split it into several files to read it faster). Files are decompressed by extension
 * ({@code .gz}, {@code .bz2}, ...). The examples are then repartitioned to at least
 * {@code sc.defaultParallelism()} partitions and cached.
 *
 * <p>Malformed lines are skipped and reported as {@code file:line: reason}; above
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
        LineParser parser = new LineParser(corpus, split);
        boolean joinLines = corpus.joinLines();
        int maxLineBytes = corpus.maxLineBytes();
        List<String> files = CorpusFiles.resolve(corpus.paths(), sc.hadoopConfiguration());
        Broadcast<HashMap<String, String>> conf = sc.broadcast(settings(sc.hadoopConfiguration()));

        // Each file and each partition of examples is cached as one element (a list): Spark sizes a
        // deserialized cache by walking a sample of it every time it grows by a tenth, which for one
        // element per example cost as much as reading and tokenizing the corpus.
        JavaRDD<FileRead> fileReads = sc.parallelize(files, files.size())
                .map(path -> FileRead.of(joinLines
                        ? new JoinedLines(open(path, conf.value(), LineParser.verbatim(), maxLineBytes), parser)
                        : open(path, conf.value(), parser, maxLineBytes)))
                .persist(StorageLevel.MEMORY_AND_DISK());
        boolean succeeded = false;
        try {
            Corpus examples = examples(sc, fileReads, corpus, split, files.size(), use);
            succeeded = true;
            return examples;
        } catch (Exception e) {
            // Spark throws its (checked) SparkException undeclared; a bad file found by a task is the
            // user's error, whether its exception came back as the cause or only as text.
            Optional<UserInputException> user = TaskErrors.userError(e);
            if (user.isPresent() && user.get() != e) throw new CorpusException(user.get().getMessage(), e);
            throw e;
        } finally {
            // The broadcast stays: the examples' lineage needs it if a cached partition is lost. After a
            // failure Spark is stopped next, and a removal still under way would then have its reply
            // refused by a stopped thread pool, which prints a stack trace: so wait for it.
            fileReads.unpersist(!succeeded);
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
        Broadcast<HashMap<String, String>> conf = sc.broadcast(settings(sc.hadoopConfiguration()));
        JavaRDD<SourceLine> lines = sc.parallelize(files, files.size()).flatMap(path -> {
            Iterator<ReadItem> items = open(path, conf.value(), verbatim, maxLineBytes);
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

    private static SourceLine sourceLine(ReadItem item) {
        if (item instanceof ReadItem.Verbatim v) return new SourceLine(v.file(), v.line(), v.text(), null);
        if (item instanceof ReadItem.Bad b) return new SourceLine(b.file(), b.line(), null, b.reason());
        return null;
    }

    private static Corpus examples(JavaSparkContext sc, JavaRDD<FileRead> read, CorpusSpec corpus, SplitSpec split,
                                   int files, Use use) {
        CorpusStats stats = read.aggregate(new StatsAggregator(), (a, f) -> a.merge(f.stats()), StatsAggregator::merge)
                .toStats();
        check(stats, corpus, split, use);
        int partitions = Math.max(sc.defaultParallelism(), files);
        JavaRDD<ArrayList<Example>> blocks = read
                .flatMap(f -> f.examples().iterator())
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

    /** One file's examples, in line order, and the statistics of reading it. */
    private record FileRead(ArrayList<Example> examples, StatsAggregator stats) implements Serializable {
        static FileRead of(Iterator<ReadItem> items) {
            ArrayList<Example> examples = new ArrayList<>();
            StatsAggregator stats = new StatsAggregator();
            while (items.hasNext()) {
                ReadItem item = items.next();
                stats.add(item);
                if (item instanceof ReadItem.Parsed p) examples.add(p.example());
            }
            return new FileRead(examples, stats);
        }
    }

    /** The driver's Hadoop settings as plain strings: {@code Configuration} itself is not serializable. */
    private static HashMap<String, String> settings(Configuration conf) {
        HashMap<String, String> settings = new HashMap<>();
        for (Map.Entry<String, String> e : conf) settings.put(e.getKey(), e.getValue());
        return settings;
    }

    private static FileLines open(String path, Map<String, String> settings, LineParser parser, int maxLineBytes) {
        Configuration conf = new Configuration(false);
        settings.forEach(conf::set);
        try {
            FileLines lines = FileLines.open(path, conf, parser, maxLineBytes);
            // Closes the file when the task ends early (failure, take()) rather than at its end.
            TaskContext task = TaskContext.get();
            if (task != null) task.addTaskCompletionListener((TaskCompletionListener) ctx -> closeQuietly(lines));
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": cannot open: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(FileLines lines) {
        try {
            lines.close();
        } catch (IOException ignored) {
            // The task is over; a failure to close a read-only stream loses nothing.
        }
    }

    private static void check(CorpusStats stats, CorpusSpec corpus, SplitSpec split, Use use) {
        long lines = stats.lines();
        double badFraction = lines == 0 ? 0 : (double) stats.skippedBad() / lines;
        if (badFraction > corpus.maxBadFraction())
            throw new CorpusException(String.format(Locale.ROOT,
                    "%d of %d lines are malformed (%.2f%%), above corpus.max-bad-fraction %s; "
                            + "fix the lines, check corpus.format (%s), or raise the limit. First malformed lines:%n  %s",
                    stats.skippedBad(), lines, 100 * badFraction, corpus.maxBadFraction(),
                    corpus.format().name().toLowerCase(Locale.ROOT), String.join(System.lineSeparator() + "  ", stats.badExamples())));
        if (stats.examples() == 0)
            throw new CorpusException("corpus is empty: " + stats.files() + " files with " + lines + " lines ("
                    + stats.skippedEmpty() + " empty, " + stats.skippedBad() + " malformed) gave no examples; check corpus.path "
                    + corpus.paths());
        if (use == Use.FOR_SCORING) return;
        checkSplit(stats, Split.TRAIN, split.trainFraction(), split);
        checkSplit(stats, Split.VALIDATION, split.validationFraction(), split);
        checkSplit(stats, Split.TEST, split.testFraction(), split);
    }

    private static void checkSplit(CorpusStats stats, Split s, double fraction, SplitSpec split) {
        if (fraction > 0 && stats.split(s).read() == 0) {
            String name = s.name().toLowerCase(Locale.ROOT);
            throw new CorpusException(String.format(Locale.ROOT,
                    "the %s split is empty: none of the %d examples hashed into it (split fractions train %s, "
                            + "validation %s, test %s); use a larger corpus or raise split.%s",
                    name, stats.examples(), split.trainFraction(), split.validationFraction(), split.testFraction(), name));
        }
    }
}
