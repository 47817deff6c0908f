package io.recur.registry;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;

/**
 * Moves a file or directory to a name that must not exist yet, as one atomic step, so that only
 * one of several racing processes succeeds. Hadoop's {@code FileSystem.rename} is that step on
 * HDFS (the NameNode refuses an existing destination file), but on the local file system it calls
 * {@code File.renameTo}, which silently replaces an existing file; there a file is placed with a
 * hard link instead ({@code link(2)} fails on an existing name).
 */
public final class AtomicRename {
    private AtomicRename() {}

    /** @return false if {@code target} exists (or {@code source} vanished); then nothing moved */
    public static boolean renameIfAbsent(FileSystem fs, Path source, Path target) throws IOException {
        if (fs instanceof RawLocalFileSystem local) {
            java.nio.file.Path from = local.pathToFile(source).toPath();
            java.nio.file.Path to = local.pathToFile(target).toPath();
            try {
                if (Files.isDirectory(from)) {
                    // A directory is only renamed under the lease, or to a run id its hidden directory claimed
                    // (RunDirectory), so no one races for the name.
                    if (Files.exists(to)) return false;
                    Files.move(from, to);
                } else {
                    Files.createLink(to, from);
                    Files.delete(from);
                }
                return true;
            } catch (FileAlreadyExistsException | NoSuchFileException e) {
                return false;
            }
        }
        // HDFS moves a directory INTO an existing directory of the target name rather than failing.
        if (fs.getFileStatus(source).isDirectory() && fs.exists(target)) return false;
        return fs.rename(source, target);
    }
}
