package io.recur.registry;

import io.recur.config.CorpusSpec;
import io.recur.corpus.CorpusFiles;
import io.recur.corpus.TableFiles;
import io.recur.storage.Sha256;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a corpus held when a version was trained: every file the corpus reader would read (the same
 * expansion of directories and globs), with its size, modification time and SHA-256. Two
 * fingerprints are the same corpus when their {@link #digest}s are equal; the digest covers paths,
 * sizes and checksums but not modification times, so touching a file changes nothing.
 *
 * <p>A table ({@code corpus.source} other than {@code text}) is fingerprinted by its files' paths,
 * sizes and modification times and by {@code corpus.where} ({@link TableFiles}), without reading
 * the files: a new partition, a rewritten file or another filter is another corpus.
 *
 * @param digest SHA-256 hex over the sorted lines {@code path TAB size TAB sha256}, or a table's
 *               {@link TableFiles#digest}
 */
public record CorpusFingerprint(String digest, List<FileEntry> files) {

    /** One corpus file; {@code modifiedMillis} only decides whether its checksum can be reused. */
    public record FileEntry(String path, long size, long modifiedMillis, String sha256) {}

    /** The fingerprint of the corpus a spec reads: its files' contents, or a table's listing and filter. */
    public static CorpusFingerprint of(CorpusSpec corpus, Configuration hadoop, CorpusFingerprint previous) {
        if (corpus.source().metastore())
            throw new IllegalArgumentException("a metastore table's files are the metastore's: fingerprint its TableFiles");
        if (!corpus.source().table()) return of(corpus.paths(), hadoop, previous);
        return of(TableFiles.of(corpus.paths(), corpus.table().where(), hadoop));
    }

    /** The fingerprint of a table's listing and filter, however it was listed (files under a path, a metastore's). */
    public static CorpusFingerprint of(TableFiles table) {
        List<FileEntry> files = table.files().stream()
                .map(f -> new FileEntry(f.path(), f.size(), f.modifiedMillis(), null)).toList();
        return new CorpusFingerprint(table.digest(), files);
    }

    /**
     * Fingerprints the corpus, hashing only files that are new or whose size or modification time
     * differ from {@code previous} (the champion's fingerprint; null to hash everything).
     */
    public static CorpusFingerprint of(List<String> corpusPaths, Configuration hadoop, CorpusFingerprint previous) {
        Map<String, FileEntry> known = previous == null ? Map.of()
                : previous.files().stream().collect(Collectors.toMap(FileEntry::path, Function.identity()));
        List<FileEntry> files = new ArrayList<>();
        for (FileStatus status : CorpusFiles.statuses(corpusPaths, hadoop)) {
            Path path = status.getPath();
            String file = path.toString();
            try {
                FileSystem fs = path.getFileSystem(hadoop);
                FileEntry before = known.get(file);
                String sha = before != null && before.size() == status.getLen()
                        && before.modifiedMillis() == status.getModificationTime()
                        ? before.sha256() : sha256(fs, path);
                files.add(new FileEntry(file, status.getLen(), status.getModificationTime(), sha));
            } catch (IOException e) {
                throw new UncheckedIOException("corpus.path: cannot fingerprint " + file + ": " + e.getMessage(), e);
            }
        }
        return new CorpusFingerprint(digest(files), List.copyOf(files));
    }

    /** Whether both describe the same corpus content; null (no champion) is never the same. */
    public boolean sameCorpusAs(CorpusFingerprint other) {
        return other != null && digest.equals(other.digest);
    }

    private static String digest(List<FileEntry> files) {
        MessageDigest sha = Sha256.digest();
        for (FileEntry f : files)
            sha.update((f.path() + "\t" + f.size() + "\t" + f.sha256() + "\n").getBytes(StandardCharsets.UTF_8));
        return Sha256.hex(sha);
    }

    private static String sha256(FileSystem fs, Path path) throws IOException {
        try (InputStream in = fs.open(path)) {
            return Sha256.of(in).sha256();
        }
    }

}
