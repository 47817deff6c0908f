package io.recur.score;

import io.recur.config.CorpusSpec;
import io.recur.config.UserInputException;
import io.recur.corpus.CorpusException;
import io.recur.corpus.CorpusFiles;
import io.recur.corpus.CorpusReader;
import io.recur.corpus.SourceLine;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.List;

/**
 * Text files, directories or globs on any Hadoop file system, one row per line: the whole line is
 * the text, as {@code predict} reads stdin (a labeled corpus's {@code label<TAB>} is text too). The
 * bytes are read and checked by the corpus reader, with the run's {@code corpus.max-line-bytes}.
 */
public final class TextFileSource implements ScoreSource {
    private final List<String> paths;
    private final CorpusSpec corpus;

    /** @param corpus the run's corpus settings; only its limits on a line's bytes apply */
    public TextFileSource(List<String> paths, CorpusSpec corpus) {
        this.paths = List.copyOf(paths);
        this.corpus = corpus.withPaths(paths);
    }

    @Override
    public String describe() {
        return paths.size() == 1 ? paths.get(0) : paths.toString();
    }

    @Override
    public JavaRDD<ScoreRow> rows(JavaSparkContext sc) {
        try {
            // Resolved here as well as in the reader, so that a missing input fails before any Spark job.
            CorpusFiles.resolve(corpus.paths(), sc.hadoopConfiguration());
        } catch (CorpusException e) {
            throw new UserInputException("--input " + describe() + ": "
                    + e.getMessage().replaceFirst("^corpus\\.path(: | )?", ""), e);
        }
        return CorpusReader.lines(sc, corpus).map(TextFileSource::row);
    }

    private static ScoreRow row(SourceLine line) {
        return new ScoreRow(line.key(), line.text(), line.problem());
    }
}
