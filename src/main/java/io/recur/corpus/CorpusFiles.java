package io.recur.corpus;

import io.recur.storage.Storage;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.UnsupportedFileSystemException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.util.List;
import java.util.TreeMap;

/**
 * Expands the configured corpus paths, on the driver, into the files to read. A path may be a
 * file, a directory (its files, recursively) or a glob. A file named directly is always read;
 * files found by walking a directory or expanding a glob are skipped when their name starts with
 * {@code _} or {@code .} ({@code _SUCCESS}, {@code .crc}, {@code _temporary/}), as Hadoop does.
 * A local path that is not a regular file ({@code /dev/zero}, a pipe) is rejected: it may never end.
 * Every failure to resolve a path, whatever the file system reports, names {@code corpus.path},
 * the path and its URI scheme.
 */
public final class CorpusFiles {
    private CorpusFiles() {}

    /** Fully qualified file URIs, sorted and without duplicates. */
    public static List<String> resolve(List<String> paths, Configuration conf) {
        return statuses(paths, conf).stream().map(f -> f.getPath().toString()).toList();
    }

    /**
     * The files of {@link #resolve} with the sizes and modification times their listing returned, so
     * a caller that needs them (a fingerprint) does not ask the file system for each file again.
     */
    public static List<FileStatus> statuses(List<String> paths, Configuration conf) {
        if (paths.isEmpty()) throw new CorpusException("corpus.path is empty; give at least one file, directory or glob");
        TreeMap<String, FileStatus> files = new TreeMap<>();
        for (String p : paths) {
            try {
                addMatches(p, conf, files);
            } catch (UnsupportedFileSystemException e) {
                throw unsupportedScheme(p, e.getMessage());
            } catch (IOException e) {
                if (e.getCause() instanceof UnknownHostException || e instanceof UnknownHostException)
                    throw unknownHost(p, e);
                throw new UncheckedIOException("corpus.path: cannot list " + p + ": " + e.getMessage(), e);
            } catch (IllegalArgumentException e) {
                // Hadoop reports a file system URI it cannot use (an unknown host, no authority) this way.
                if (e.getCause() instanceof UnknownHostException) throw unknownHost(p, e);
                throw new CorpusException("corpus.path: cannot read " + p + " (scheme " + scheme(p) + "): "
                        + e.getMessage());
            } catch (RuntimeException e) {
                // core-default.xml names a class for s3a: and others; without its jar Hadoop fails with
                // "Class ... not found" in a RuntimeException rather than an UnsupportedFileSystemException.
                if (e.getCause() instanceof ClassNotFoundException && !(e instanceof CorpusException))
                    throw unsupportedScheme(p, e.getMessage());
                throw e;
            }
        }
        if (files.isEmpty())
            throw new CorpusException("corpus.path " + paths + " contains no files (names starting with _ or . are skipped)");
        return List.copyOf(files.values());
    }

    private static CorpusException unsupportedScheme(String p, String reason) {
        return new CorpusException("corpus.path: cannot read " + p + ": no file system for its scheme " + scheme(p)
                + " here (" + reason + "); use a scheme this Spark has a file system for (file:, hdfs:,"
                + " s3a: with hadoop-aws on the class path, ...)");
    }

    private static CorpusException unknownHost(String p, Exception e) {
        Throwable host = e instanceof UnknownHostException ? e : e.getCause();
        return new CorpusException("corpus.path: cannot read " + p + ": unknown host " + host.getMessage()
                + " in the URI (scheme " + scheme(p) + "); check the host name, or the name service in the Hadoop configuration");
    }

    private static String scheme(String p) {
        String scheme = new Path(p).toUri().getScheme();
        return scheme == null ? "(none: a local path)" : scheme + ":";
    }

    private static void addMatches(String p, Configuration conf, TreeMap<String, FileStatus> files) throws IOException {
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
            else files.put(regularFile(fs, match.getPath()), match);
        }
    }

    /** The file's URI; a local path that is a device, pipe or socket is refused. */
    private static String regularFile(FileSystem fs, Path file) {
        if (Storage.isLocal(fs)) {
            java.nio.file.Path local = java.nio.file.Path.of(file.toUri());
            if (!Files.isRegularFile(local))
                throw new CorpusException("corpus.path: " + local + " is not a regular file (a device, pipe or socket,"
                        + " which may never end); give files, directories or globs");
        }
        return file.toString();
    }

    private static void addDirectory(FileSystem fs, Path dir, TreeMap<String, FileStatus> files) throws IOException {
        for (FileStatus child : fs.listStatus(dir)) {
            if (isHidden(child.getPath())) continue;
            if (child.isDirectory()) addDirectory(fs, child.getPath(), files);
            else files.put(regularFile(fs, child.getPath()), child);
        }
    }

    private static boolean isHidden(Path p) {
        return p.getName().startsWith("_") || p.getName().startsWith(".");
    }
}
