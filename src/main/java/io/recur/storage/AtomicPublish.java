package io.recur.storage;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * Making a complete file or directory visible under its final name in one step: the one publish
 * protocol of run directories, checkpoints, registry versions, champion pointers and the lease.
 * Content is written under a hidden name (starting with {@code .}, which Hadoop's readers and
 * recur's listings skip) and then moved to a name that must not exist yet, so among racing
 * processes exactly one wins, nothing is ever replaced, and a crash leaves only a hidden name.
 *
 * <p>{@code FileSystem.rename} is not that step on either file system recur runs on: on HDFS it
 * moves a directory INTO an existing directory of the target name, and on the local file system it
 * calls {@code File.renameTo}, which silently replaces an existing file. So HDFS gets its
 * {@code rename2} (no overwrite, atomic in the NameNode, never into a directory), a local file is
 * placed with a hard link ({@code link(2)} fails on an existing name), and a local directory is
 * moved only after checking its name is free.
 */
public final class AtomicPublish {
    private AtomicPublish() {}

    /**
     * Moves {@code source} to {@code target} unless {@code target} exists.
     *
     * @return false if {@code target} exists (or {@code source} vanished); then nothing moved
     */
    public static boolean renameIfAbsent(FileSystem fs, Path source, Path target) throws IOException {
        fs = Storage.raw(fs);
        if (fs instanceof RawLocalFileSystem local) {
            java.nio.file.Path from = Storage.local(local, source), to = Storage.local(local, target);
            try {
                if (Files.isDirectory(from)) {
                    // rename(2) replaces an empty directory; a directory is only published under the lease, or
                    // to a run id its hidden directory claimed (RunDirectory), so no one races for the name.
                    if (Files.exists(to)) return false;
                    Files.move(from, to);
                } else {
                    Files.createLink(to, from);
                    Files.delete(from);
                }
                return true;
            } catch (java.nio.file.FileAlreadyExistsException | NoSuchFileException e) {
                return false;
            }
        }
        if ("hdfs".equals(fs.getScheme())) {
            try {
                FileContext.getFileContext(fs.getUri(), configuration(fs))
                        .rename(fs.makeQualified(source), fs.makeQualified(target), Options.Rename.NONE);
                return true;
            } catch (FileAlreadyExistsException | FileNotFoundException e) {
                return false;
            }
        }
        // Elsewhere (object stores have no atomic rename anyway): refuse what would move into the target.
        if (fs.exists(target)) return false;
        return fs.rename(source, target);
    }

    /**
     * Writes a file complete under a hidden name beside {@code target} and moves it there unless
     * {@code target} exists; the hidden file is removed either way.
     *
     * @return false if {@code target} exists; then it is untouched
     */
    public static boolean writeIfAbsent(FileSystem fs, Path target, byte[] content) throws IOException {
        Path temporary = hidden(target);
        try {
            try (OutputStream out = fs.create(temporary, false)) {
                out.write(content);
            }
            return renameIfAbsent(fs, temporary, target);
        } finally {
            fs.delete(temporary, false);
        }
    }

    /**
     * Writes a file complete under a hidden name and moves it onto {@code target}, replacing what is
     * there in one step: a reader sees the old content or the new, never neither nor half. For a
     * file that is meant to change ({@code result.json}); everything else is published with
     * {@link #writeIfAbsent}.
     */
    public static void replace(FileSystem fs, Path target, byte[] content) throws IOException {
        fs = Storage.raw(fs);
        Path temporary = hidden(target);
        try {
            try (OutputStream out = fs.create(temporary, false)) {
                out.write(content);
            }
            if (fs instanceof RawLocalFileSystem local) {
                Files.move(Storage.local(local, temporary), Storage.local(local, target),
                        StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                FileContext.getFileContext(fs.getUri(), configuration(fs))
                        .rename(fs.makeQualified(temporary), fs.makeQualified(target), Options.Rename.OVERWRITE);
            }
        } finally {
            fs.delete(temporary, false);
        }
    }

    /** A hidden, unique name in {@code target}'s directory. */
    static Path hidden(Path target) {
        return new Path(target.getParent(), "." + target.getName() + "-" + UUID.randomUUID() + ".tmp");
    }

    private static Configuration configuration(FileSystem fs) {
        return fs.getConf() == null ? new Configuration() : fs.getConf();
    }
}
