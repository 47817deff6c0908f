package io.recur.storage;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

import java.io.IOException;

/** Which Hadoop file system recur keeps its files on. */
public final class Storage {
    private Storage() {}

    /**
     * The file system of {@code path}, and the raw one when it is local: Hadoop's checksummed local
     * file system leaves a {@code .crc} beside every file (stale once the file is hard-linked or
     * renamed), and {@link AtomicPublish} needs the real paths to place files with {@code link(2)}.
     */
    public static FileSystem fileSystem(Path path, Configuration hadoop) throws IOException {
        return raw(path.getFileSystem(hadoop));
    }

    /** {@code fs} itself, or the raw file system under a checksummed local one. */
    public static FileSystem raw(FileSystem fs) {
        return fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
    }

    /** Whether {@code fs} is this machine's own disk, checksummed or raw. */
    public static boolean isLocal(FileSystem fs) {
        return fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem;
    }

    /** {@code path} on the raw local file system {@code fs}, as a {@code java.nio} path. */
    static java.nio.file.Path local(RawLocalFileSystem fs, Path path) {
        return fs.pathToFile(path).toPath();
    }
}
