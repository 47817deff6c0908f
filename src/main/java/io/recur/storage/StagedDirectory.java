package io.recur.storage;

import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A directory written under a hidden name ({@code .writing-<name>-<random>} beside its target) and
 * published by {@link AtomicPublish#renameIfAbsent}: readers see all of it under its name or none of it.
 */
public final class StagedDirectory {
    /** The start of every staged directory's name; a leftover of a crash keeps it. */
    public static final String PREFIX = ".writing-";
    private final FileSystem fs;
    private final Path path;
    private final Path target;

    private StagedDirectory(FileSystem fs, Path path, Path target) {
        this.fs = fs;
        this.path = path;
        this.target = target;
    }

    /** Creates the hidden directory for what will be {@code target}. */
    public static StagedDirectory create(FileSystem fs, Path target) throws IOException {
        fs = Storage.raw(fs);
        Path hidden = new Path(target.getParent(), PREFIX + target.getName() + "-"
                + String.format("%08x", ThreadLocalRandom.current().nextInt()));
        if (!fs.mkdirs(hidden)) throw new IOException("mkdirs " + hidden + " returned false");
        return new StagedDirectory(fs, hidden, target);
    }

    /** The hidden directory, while unpublished. */
    public Path path() {
        return path;
    }

    /** A new file in the directory; fails if it exists. */
    public OutputStream create(String name) throws IOException {
        return fs.create(new Path(path, name), false);
    }

    /** Writes a whole file and returns its size and hash, for a manifest. */
    public Sha256.Sized write(String name, byte[] bytes) throws IOException {
        try (OutputStream out = create(name)) {
            out.write(bytes);
        }
        return new Sha256.Sized(bytes.length, Sha256.hex(bytes));
    }

    /**
     * Moves the directory to its target name.
     *
     * @throws FileAlreadyExistsException if the target exists: it is left as it was, and so is this directory
     */
    public Path publish() throws IOException {
        if (!AtomicPublish.renameIfAbsent(fs, path, target))
            throw new FileAlreadyExistsException(target + " already exists; it is never replaced");
        return target;
    }

    /** Removes the hidden directory, of a write that is given up. */
    public void discard() throws IOException {
        fs.delete(path, true);
    }
}
