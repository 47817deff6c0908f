package io.recur.run;

import io.recur.config.UserInputException;
import io.recur.provenance.RunManifest;
import io.recur.storage.ProcessIdentity;
import io.recur.storage.AtomicPublish;
import io.recur.storage.Json;
import io.recur.storage.Storage;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * A run's output directory, {@code <output.dir>/<job name>/<run id>/}, on any Hadoop file system.
 * Files are written under a hidden temporary name and the directory is renamed into place only
 * when everything is written, so a crash never leaves a run that looks complete, and no run ever
 * replaces another.
 *
 * <p>A run id is claimed by creating {@code .incomplete-<run id>/} with a call that fails if it
 * exists (and, on file systems whose {@code mkdirs} succeeds on an existing directory, by creating
 * its owner file {@value #OWNER} the same way); on a collision the run takes another id. The owner
 * file names the process (host, pid, start time). Creating a run directory first removes the
 * hidden directories of its job whose owner is provably gone (same host, the process is no longer
 * there); one without an owner file, or of another host, or of a live process, is left alone. A
 * failed run removes its hidden directory and the {@code <job name>/} directory if it made it and
 * it is empty.
 */
public final class RunDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(RunDirectory.class);
    static final String INCOMPLETE_PREFIX = ".incomplete-";
    /** Inside the hidden directory only; removed before publishing. */
    static final String OWNER = ".owner.json";
    private static final int ID_ATTEMPTS = 16;
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    /** Top-level run directories of this process not yet published nor discarded. */
    private static final Set<RunDirectory> UNPUBLISHED = ConcurrentHashMap.newKeySet();
    private final FileSystem fs;
    private final Path jobDir;
    private final String runId;
    private final Path temporary;
    /** Where the directory ends up: {@code jobDir/runId}, or inside its parent's published directory. */
    private final Path finalPath;
    /** Whether creating this run made {@code jobDir}, which a failed run then removes if it is empty. */
    private final boolean madeJobDir;
    private boolean finished;

    private RunDirectory(FileSystem fs, Path jobDir, String runId, Path finalPath, boolean madeJobDir) {
        this.fs = fs;
        this.jobDir = jobDir;
        this.runId = runId;
        this.temporary = new Path(jobDir, INCOMPLETE_PREFIX + runId);
        this.finalPath = finalPath;
        this.madeJobDir = madeJobDir;
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
        return create(outputDir, jobName, hadoop, () -> idPrefix + LocalDateTime.now().format(RUN_ID) + "-"
                + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000)));
    }

    /** As {@link #create(String, String, Configuration, String)} with the run ids {@code runIds} proposes, in turn. */
    static RunDirectory create(String outputDir, String jobName, Configuration hadoop, Supplier<String> runIds) {
        Path jobDir = new Path(outputDir, jobName);
        try {
            FileSystem fs = Storage.fileSystem(jobDir, hadoop);
            Path qualified = fs.makeQualified(jobDir);
            boolean madeJobDir = !fs.exists(qualified);
            if (!fs.mkdirs(qualified)) throw new IOException("mkdirs returned false");
            removeLeftovers(fs, qualified);
            for (int attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
                String runId = runIds.get();
                RunDirectory dir = new RunDirectory(fs, qualified, runId, new Path(qualified, runId), madeJobDir);
                if (dir.claim()) {
                    UNPUBLISHED.add(dir);
                    return dir;
                }
            }
            throw new IOException("no free run id after " + ID_ATTEMPTS + " attempts");
        } catch (IOException | RuntimeException e) {
            if (e instanceof UserInputException u) throw u;
            throw new UserInputException("output.dir: cannot write under " + jobDir + " (" + e.getMessage()
                    + "); choose a writable output.dir", e);
        }
    }

    /**
     * Creates the hidden directory and its owner file, each only if it does not exist yet.
     *
     * @return false if another run has this id (published, or still being written)
     */
    private boolean claim() throws IOException {
        if (fs.exists(finalPath)) return false;
        if (fs instanceof RawLocalFileSystem local) {
            try {
                Files.createDirectory(local.pathToFile(temporary).toPath());
            } catch (java.nio.file.FileAlreadyExistsException e) {
                return false;
            } catch (java.nio.file.NoSuchFileException e) {
                // A failed run of the job just removed the empty job directory: make it again, take another id.
                fs.mkdirs(jobDir);
                return false;
            }
        } else if (!fs.mkdirs(temporary)) {
            throw new IOException("mkdirs " + temporary + " returned false");
        }
        try (OutputStream out = fs.create(new Path(temporary, OWNER), false)) {
            Json.write(out, ProcessIdentity.current());
        } catch (FileAlreadyExistsException e) {
            return false;
        }
        // A run that published this id between the check above and the claim left its hidden name free.
        if (fs.exists(finalPath)) {
            fs.delete(temporary, true);
            return false;
        }
        return true;
    }

    /** Removes the hidden directories under {@code jobDir} whose owner is provably gone. */
    private static void removeLeftovers(FileSystem fs, Path jobDir) throws IOException {
        for (FileStatus s : fs.listStatus(jobDir, p -> p.getName().startsWith(INCOMPLETE_PREFIX))) {
            ProcessIdentity owner = owner(fs, s.getPath());
            if (owner == null || !owner.provablyGone()) continue;
            if (fs.delete(s.getPath(), true))
                LOG.warn("removed {}, left by a run whose process {} is gone", s.getPath(), owner);
        }
    }

    /** The owner of a hidden directory, or null if it names none that can be read. */
    private static ProcessIdentity owner(FileSystem fs, Path hidden) {
        try (InputStream in = fs.open(new Path(hidden, OWNER))) {
            return Json.read(in, ProcessIdentity.class);
        } catch (FileNotFoundException e) {
            return null;
        } catch (IOException e) {
            LOG.warn("left {} alone: its owner file does not read ({})", hidden, e.getMessage());
            return null;
        }
    }

    /**
     * A run directory inside this one, published into it (as {@code <this>/<name>}) while this one
     * is still incomplete, so it becomes visible only when this one is published.
     *
     * @param name a directory name, which is also the inner run's id
     */
    public RunDirectory member(String name) {
        RunDirectory dir = new RunDirectory(fs, temporary, name, new Path(finalPath, name), false);
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

    /**
     * A new file in the run; refused once the run is discarded, so nothing recreates its directory.
     * Its writes fail with an IOException naming it, a full disk included.
     */
    public synchronized OutputStream create(String file) {
        Path path = new Path(temporary, file);
        try {
            if (finished) throw new IOException("the run was discarded or published");
            return new Named(fs.create(path, false), path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + path, e);
        } catch (FSError e) {
            throw new UncheckedIOException(new Named(OutputStream.nullOutputStream(), path).failed(e));
        }
    }

    /**
     * Hadoop's local file system reports a failed write (a full disk) as an {@link FSError}, an
     * Error without the file's name; this makes it an IOException that names the file.
     */
    private static final class Named extends FilterOutputStream {
        private final Path path;

        Named(OutputStream out, Path path) {
            super(out);
            this.path = path;
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (FSError e) {
                throw failed(e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (FSError e) {
                throw failed(e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (FSError e) {
                throw failed(e);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } catch (FSError e) {
                throw failed(e);
            }
        }

        private IOException failed(FSError e) {
            return new IOException(path + ": cannot write: " + e.getCause().getMessage(), e);
        }
    }

    /** Renames the complete run into place; a member goes into its parent's incomplete directory. */
    public synchronized Path publish() {
        Path target = new Path(jobDir, runId);
        try {
            if (finished) throw new IOException(temporary + " was discarded; nothing to publish");
            fs.delete(new Path(temporary, OWNER), false);
            RunManifest.write(fs, temporary);
            if (!AtomicPublish.renameIfAbsent(fs, temporary, target))
                throw new IOException(target + " already exists; runs are never replaced");
            finished = true;
            UNPUBLISHED.remove(this);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes the temporary directory of a run that failed, and the job's directory if this run made it and it is empty. */
    public synchronized void discard() {
        finished = true;
        UNPUBLISHED.remove(this);
        try {
            fs.delete(temporary, true);
        } catch (IOException e) {
            // The directory keeps its hidden temporary name, so it never looks like a complete run.
            return;
        }
        if (!madeJobDir) return;
        try {
            fs.delete(jobDir, false);
        } catch (IOException notEmpty) {
            // Another run of the job, or something the user put there: it stays.
        }
    }

    /**
     * Discards every run of this process that is neither published nor discarded: for a process that
     * is being interrupted, whose own code will not get to it.
     *
     * @return the hidden directories removed
     */
    public static List<Path> discardAllUnpublished() {
        List<Path> discarded = new ArrayList<>();
        for (RunDirectory dir : List.copyOf(UNPUBLISHED)) {
            dir.discard();
            discarded.add(dir.temporary);
        }
        return discarded;
    }
}
