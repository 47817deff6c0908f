package io.recur.provenance;

import io.recur.storage.Json;
import io.recur.storage.Sha256;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code manifest.json}: the size and SHA-256 of every file of a run directory as it was published,
 * so that a loader can tell a run from one whose files were altered, truncated or swapped with
 * another run's. Written once, just before the directory is renamed into place; files added after
 * publishing (the registry's {@code lineage.json}) are not in it.
 *
 * @param format version of this file's layout
 * @param files  path relative to the run directory ({@code /}-separated) to its size and hash
 */
public record RunManifest(int format, Map<String, FileEntry> files) {
    public static final String FILE = "manifest.json";
    static final int FORMAT = 1;

    public RunManifest {
        files = new TreeMap<>(files);
    }

    /** One file: {@code bytes} long, hashing to {@code sha256} (lower-case hex). */
    public record FileEntry(long bytes, String sha256) {}

    /** Hashes every file under {@code dir} (its subdirectories too) and writes the manifest there. */
    public static RunManifest write(FileSystem fs, Path dir) throws IOException {
        Map<String, FileEntry> files = new TreeMap<>();
        // A directory's URI may end with '/'; the relative names must not depend on it.
        String root = fs.makeQualified(dir).toUri().getPath().replaceAll("/+$", "");
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, true);
        while (it.hasNext()) {
            LocatedFileStatus f = it.next();
            String relative = f.getPath().toUri().getPath().substring(root.length() + 1);
            if (relative.equals(FILE)) continue;
            files.put(relative, entry(fs, f.getPath()));
        }
        RunManifest manifest = new RunManifest(FORMAT, files);
        try (OutputStream out = fs.create(new Path(dir, FILE), false)) {
            Json.write(out, manifest);
        }
        return manifest;
    }

    /**
     * The manifest of {@code dir}, or null when it has none (a run published before recur wrote
     * manifests).
     *
     * @throws IOException when it cannot be read or is not a manifest
     */
    public static RunManifest read(FileSystem fs, Path dir) throws IOException {
        RunManifest manifest;
        try (InputStream in = fs.open(new Path(dir, FILE))) {
            manifest = Json.read(in, RunManifest.class);
        } catch (FileNotFoundException e) {
            return null;
        }
        if (manifest.format() != FORMAT || manifest.files() == null)
            throw new IOException("not a recur manifest of format " + FORMAT);
        return manifest;
    }

    public boolean lists(String file) {
        return files.containsKey(file);
    }

    /**
     * What differs between the manifest and the files of {@code dir}, one sentence per file, each
     * starting with the file's path relative to {@code dir}; empty when every listed file that is
     * there has its published bytes. A listed file that is gone is not a mismatch here: whether it
     * matters depends on the reader (a loader needs the model, not the report).
     */
    public List<String> mismatches(FileSystem fs, Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, FileEntry> listed : files.entrySet()) {
            Path file = new Path(dir, listed.getKey());
            if (!fs.exists(file)) continue;
            FileEntry expected = listed.getValue(), actual = entry(fs, file);
            if (actual.bytes() != expected.bytes())
                out.add(listed.getKey() + ": " + actual.bytes() + " bytes, but " + expected.bytes() + " when published ("
                        + FILE + ")");
            else if (!actual.sha256().equals(expected.sha256()))
                out.add(listed.getKey() + ": SHA-256 " + actual.sha256() + " differs from " + expected.sha256()
                        + " when published (" + FILE + ")");
        }
        return out;
    }

    /**
     * One sentence naming the first of {@code mismatches} with its full path under {@code dir}, and
     * the others after it, for the error of any reader that finds a run altered.
     */
    public static String describe(Path dir, List<String> mismatches) {
        return dir + "/" + mismatches.get(0) + (mismatches.size() > 1 ? " (and " + (mismatches.size() - 1) + " more: "
                + String.join("; ", mismatches.subList(1, mismatches.size())) + ")" : "");
    }

    private static FileEntry entry(FileSystem fs, Path file) throws IOException {
        try (InputStream in = fs.open(file)) {
            Sha256.Sized sized = Sha256.of(in);
            return new FileEntry(sized.bytes(), sized.sha256());
        }
    }
}
