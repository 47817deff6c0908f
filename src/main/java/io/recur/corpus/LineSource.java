package io.recur.corpus;

import io.recur.config.CorpusSpec;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.TaskCompletionListener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Text files, one example per line laid out by {@code corpus.format} ({@link LineParser}), or lines
 * joined into examples ({@code corpus.join-lines}, {@link JoinedLines}). The paths are expanded on
 * the driver ({@link CorpusFiles}); each file is read by one Spark task ({@link FileLines}), which
 * hashes its bytes for the corpus fingerprint.
 */
final class LineSource implements CorpusSource {
    private final CorpusSpec corpus;

    LineSource(CorpusSpec corpus) {
        this.corpus = corpus;
    }

    @Override
    public Read read(JavaSparkContext sc, RecordLayout layout) {
        LineParser parser = new LineParser(corpus, layout);
        boolean joinLines = corpus.joinLines();
        int maxLineBytes = corpus.maxLineBytes();
        List<String> files = CorpusFiles.resolve(corpus.paths(), sc.hadoopConfiguration());
        Broadcast<HashMap<String, String>> conf = sc.broadcast(settings(sc.hadoopConfiguration()));
        JavaRDD<Block> blocks = sc.parallelize(files, files.size())
                .map(path -> Block.of(joinLines
                        ? new JoinedLines(open(path, conf.value(), LineParser.verbatim(), maxLineBytes), parser)
                        : open(path, conf.value(), parser, maxLineBytes)));
        return new Read(blocks, files.size(), null);
    }

    @Override
    public String items() {
        return "lines";
    }

    /** The driver's Hadoop settings as plain strings: {@code Configuration} itself is not serializable. */
    static HashMap<String, String> settings(Configuration conf) {
        HashMap<String, String> settings = new HashMap<>();
        for (Map.Entry<String, String> e : conf) settings.put(e.getKey(), e.getValue());
        return settings;
    }

    static FileLines open(String path, Map<String, String> settings, LineParser parser, int maxLineBytes) {
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
}
