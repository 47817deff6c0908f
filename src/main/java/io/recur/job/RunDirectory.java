package io.recur.job;

import io.recur.config.UserInputException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
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

    private RunDirectory(FileSystem fs, Path jobDir, String runId) {
        this.fs = fs;
        this.jobDir = jobDir;
        this.runId = runId;
        this.temporary = new Path(jobDir, INCOMPLETE_PREFIX + runId);
    }

    /**
     * Creates the temporary directory; fails before any training when the output is not writable.
     */
    public static RunDirectory create(String outputDir, String jobName, Configuration hadoop) {
        Path jobDir = new Path(outputDir, jobName);
        try {
            FileSystem fs = jobDir.getFileSystem(hadoop);
            String runId = LocalDateTime.now().format(RUN_ID) + "-"
                    + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
            RunDirectory dir = new RunDirectory(fs, fs.makeQualified(jobDir), runId);
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

    public String runId() {
        return runId;
    }

    /** The directory the run will have once published. */
    public Path finalPath() {
        return new Path(jobDir, runId);
    }

    public OutputStream create(String file) {
        try {
            return fs.create(new Path(temporary, file), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + new Path(temporary, file), e);
        }
    }

    /** Renames the complete run into place. */
    public Path publish() {
        Path target = finalPath();
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
