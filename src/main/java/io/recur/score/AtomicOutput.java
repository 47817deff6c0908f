package io.recur.score;

import io.recur.config.UserInputException;
import io.recur.storage.AtomicPublish;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An output directory that appears whole or not at all: everything is written into a hidden
 * sibling ({@code .incomplete-score-<name>-<id>}) that one rename moves into place. An existing
 * output is never touched unless replacing it was asked for; then it is first renamed aside
 * ({@code .replaced-score-<name>-<id>}), the new one renamed into place, and the old one deleted,
 * so a reader sees the old output, then for the moment between two renames none, then the new.
 */
final class AtomicOutput {
    /** Outputs being written, for the clean-up after a signal ({@link #discardAllUnpublished}). */
    private static final Set<AtomicOutput> UNPUBLISHED = ConcurrentHashMap.newKeySet();
    private final FileSystem fs;
    private final Path target;
    private final Path staging;
    private final boolean replace;
    private boolean published;

    private AtomicOutput(FileSystem fs, Path target, boolean replace) {
        this.fs = fs;
        this.target = target;
        this.replace = replace;
        this.staging = new Path(target.getParent(), ".incomplete-score-" + target.getName() + "-" + UUID.randomUUID());
    }

    /**
     * Checks that {@code uri} may be written, before any work is done.
     *
     * @param replace whether an existing output may be replaced ({@code --overwrite})
     */
    static AtomicOutput at(String uri, boolean replace, Configuration hadoop) {
        if (uri == null || uri.isBlank()) throw new UserInputException("--output: empty; give a directory to create");
        try {
            Path path = new Path(uri);
            FileSystem fs = path.getFileSystem(hadoop);
            Path target = fs.makeQualified(path);
            if (target.getParent() == null)
                throw new UserInputException("--output " + uri + ": the root of a file system cannot be replaced; "
                        + "give a directory under it");
            if (fs.exists(target) && !replace)
                throw new UserInputException("--output " + uri + ": already exists; score never replaces an output "
                        + "unless --overwrite is given");
            return new AtomicOutput(fs, target, replace);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--output " + uri + ": not a usable location (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("--output " + uri + ": cannot check it: " + e.getMessage(), e);
        }
    }

    /** Starts the output: from here until it is published or discarded a signal discards it. */
    AtomicOutput open() {
        UNPUBLISHED.add(this);
        return this;
    }

    /** Where to write; a directory that does not exist yet. */
    String staging() {
        return staging.toString();
    }

    String target() {
        return target.toString();
    }

    /** Moves the staging directory into place, first setting an existing output aside when replacing. */
    void publish() throws IOException {
        Path replaced = null;
        if (replace && fs.exists(target)) {
            replaced = new Path(target.getParent(), ".replaced-score-" + target.getName() + "-" + UUID.randomUUID());
            if (!fs.rename(target, replaced)) throw new IOException("cannot move " + target + " aside to " + replaced);
        }
        if (!AtomicPublish.renameIfAbsent(fs, staging, target)) {
            if (replaced != null && !AtomicPublish.renameIfAbsent(fs, replaced, target))
                throw new IOException(target + " appeared while it was being replaced; the previous output is kept at "
                        + replaced);
            throw new UserInputException("--output " + target + ": created by someone else while scoring; nothing "
                    + "was replaced, and this run's output was discarded");
        }
        published = true;
        UNPUBLISHED.remove(this);
        if (replaced != null) fs.delete(replaced, true);
    }

    /** Deletes what was written unless it was published; for a failed or interrupted job. */
    void discard() {
        UNPUBLISHED.remove(this);
        if (published) return;
        try {
            fs.delete(staging, true);
        } catch (IOException ignored) {
            // The failure that brought us here is the one to report; a hidden leftover is named after the output.
        }
    }

    /** Discards every output still being written, and returns where they were staged. */
    static List<String> discardAllUnpublished() {
        List<String> discarded = new ArrayList<>();
        for (AtomicOutput out : List.copyOf(UNPUBLISHED)) {
            out.discard();
            discarded.add(out.staging());
        }
        return discarded;
    }
}
