package io.recur.corpus;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.UnsupportedFileSystemException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.TreeSet;

/**
 * Expands the configured corpus paths, on the driver, into the files to read. A path may be a
 * file, a directory (its files, recursively) or a glob. A file named directly is always read;
 * files found by walking a directory or expanding a glob are skipped when their name starts with
 * {@code _} or {@code .} ({@code _SUCCESS}, {@code .crc}, {@code _temporary/}), as Hadoop does.
 */
public final class CorpusFiles {
    private CorpusFiles() {}

    /** Fully qualified file URIs, sorted and without duplicates. */
    public static List<String> resolve(List<String> paths, Configuration conf) {
        if (paths.isEmpty()) throw new CorpusException("corpus.paths is empty; give at least one file, directory or glob");
        TreeSet<String> files = new TreeSet<>();
        for (String p : paths) {
            try {
                addMatches(p, conf, files);
            } catch (UnsupportedFileSystemException e) {
                throw new CorpusException("corpus.paths: cannot read " + p + ": " + e.getMessage()
                        + "; use a scheme this cluster has a file system for (file:, hdfs:, s3a: with hadoop-aws, ...)");
            } catch (IOException e) {
                throw new UncheckedIOException("corpus.paths: cannot list " + p + ": " + e.getMessage(), e);
            }
        }
        if (files.isEmpty())
            throw new CorpusException("corpus.paths " + paths + " contain no files (names starting with _ or . are skipped)");
        return List.copyOf(files);
    }

    private static void addMatches(String p, Configuration conf, TreeSet<String> files) throws IOException {
        Path path = new Path(p);
        FileSystem fs = path.getFileSystem(conf);
        FileStatus[] matches = fs.globStatus(path);
        if (matches == null || matches.length == 0)
            throw new CorpusException("corpus.path: no such file or directory: " + p
                    + " (resolved as " + fs.makeQualified(path) + "); check the path or the glob");
        boolean glob = matches.length > 1 || !fs.makeQualified(path).equals(matches[0].getPath());
        for (FileStatus match : matches) {
            if (glob && isHidden(match.getPath())) continue;
            if (match.isDirectory()) addDirectory(fs, match.getPath(), files);
            else files.add(match.getPath().toString());
        }
    }

    private static void addDirectory(FileSystem fs, Path dir, TreeSet<String> files) throws IOException {
        for (FileStatus child : fs.listStatus(dir)) {
            if (isHidden(child.getPath())) continue;
            if (child.isDirectory()) addDirectory(fs, child.getPath(), files);
            else files.add(child.getPath().toString());
        }
    }

    private static boolean isHidden(Path p) {
        return p.getName().startsWith("_") || p.getName().startsWith(".");
    }
}
