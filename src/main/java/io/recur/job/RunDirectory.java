package io.recur.job;

import io.recur.config.UserInputException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A run's output directory, {@code <output.dir>/<job name>/<run id>/}, on any Hadoop file system.
 * Files are written under a hidden temporary name and the directory is renamed into place only
 * when everything is written, so a crash never leaves a run that looks complete, and no run ever
 * replaces another.
 */
public final class RunDirectory {
    static final String INCOMPLETE_PREFIX = ".incomplete-";
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private final FileSystem fs;
    private final Path jobDir;
    private final String runId;
    private final Path temporary;
    /** Where the directory ends up: {@code jobDir/runId}, or inside its parent's published directory. */
    private final Path finalPath;

    private RunDirectory(FileSystem fs, Path jobDir, String runId, Path finalPath) {
        this.fs = fs;
        this.jobDir = jobDir;
        this.runId = runId;
        this.temporary = new Path(jobDir, INCOMPLETE_PREFIX + runId);
        this.finalPath = finalPath;
    }

    /**
     * Creates the temporary directory; fails before any training when the output is not writable.
     */
    public static RunDirectory create(String outputDir, String jobName, Configuration hadoop) {
        return create(outputDir, jobName, hadoop, "");
    }

    /**
     * Like {@link #create(String, String, Configuration)}, with the run id starting with
     * {@code idPrefix}: a bake-off's directory is {@code bakeoff-<run id>}.
     */
    public static RunDirectory create(String outputDir, String jobName, Configuration hadoop, String idPrefix) {
        Path jobDir = new Path(outputDir, jobName);
        try {
            FileSystem fs = jobDir.getFileSystem(hadoop);
            // The raw local file system: a checksummed one leaves a .crc beside every file of the run.
            if (fs instanceof LocalFileSystem local) fs = local.getRawFileSystem();
            String runId = idPrefix + LocalDateTime.now().format(RUN_ID) + "-"
                    + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
            Path qualified = fs.makeQualified(jobDir);
            RunDirectory dir = new RunDirectory(fs, qualified, runId, new Path(qualified, runId));
            if (!fs.mkdirs(dir.temporary))
                throw new IOException("mkdirs returned false");
            fs.create(new Path(dir.temporary, ".write-probe"), false).close();
            fs.delete(new Path(dir.temporary, ".write-probe"), false);
            return dir;
        } catch (IOException | RuntimeException e) {
            if (e instanceof UserInputException u) throw u;
            throw new UserInputException("output.dir: cannot write under " + jobDir + " (" + e.getMessage()
                    + "); choose a writable output.dir", e);
        }
    }

    /**
     * A run directory inside this one, published into it (as {@code <this>/<name>}) while this one
     * is still incomplete, so it becomes visible only when this one is published.
     *
     * @param name a directory name, which is also the inner run's id
     */
    public RunDirectory member(String name) {
        RunDirectory dir = new RunDirectory(fs, temporary, name, new Path(finalPath, name));
        try {
            if (!fs.mkdirs(dir.temporary)) throw new IOException("mkdirs returned false");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir.temporary, e);
        }
        return dir;
    }

    public String runId() {
        return runId;
    }

    /** The directory the run will have once published. */
    public Path finalPath() {
        return finalPath;
    }

    public OutputStream create(String file) {
        try {
            return fs.create(new Path(temporary, file), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + new Path(temporary, file), e);
        }
    }

    /** Renames the complete run into place; a member goes into its parent's incomplete directory. */
    public Path publish() {
        Path target = new Path(jobDir, runId);
        try {
            if (fs.exists(target)) throw new IOException(target + " already exists; runs are never replaced");
            if (!fs.rename(temporary, target)) throw new IOException("rename " + temporary + " -> " + target + " failed");
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes the temporary directory of a run that failed. */
    public void discard() {
        try {
            fs.delete(temporary, true);
        } catch (IOException e) {
            // The directory keeps its hidden temporary name, so it never looks like a complete run.
        }
    }
}
