package io.recur.corpus;

import io.recur.storage.Sha256;
import org.apache.hadoop.conf.Configuration;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * The files of a table's location as the driver lists them ({@link CorpusFiles}: directories walked,
 * {@code _} and {@code .} names skipped), with sizes and modification times, and the filter the rows
 * are read with. Its {@link #digest} is the table's fingerprint: a file added, removed, rewritten
 * (size or time) or a changed {@code corpus.where} changes it. The files' bytes are not hashed: a
 * table may be large, and a table writer rewrites files rather than editing them in place.
 *
 * @param files sorted by path
 * @param where {@code corpus.where}, "" for every row
 */
public record TableFiles(List<TableFile> files, String where) {

    public record TableFile(String path, long size, long modifiedMillis) {}

    public TableFiles {
        files = List.copyOf(files);
    }

    public static TableFiles of(List<String> paths, String where, Configuration conf) {
        List<TableFile> files = CorpusFiles.statuses(paths, conf).stream()
                .map(f -> new TableFile(f.getPath().toString(), f.getLen(), f.getModificationTime())).toList();
        return new TableFiles(files, where);
    }

    public long bytes() {
        return files.stream().mapToLong(TableFile::size).sum();
    }

    /** SHA-256 hex over the lines {@code path TAB size TAB mtime}, then {@code where TAB filter}. */
    public String digest() {
        MessageDigest sha = Sha256.digest();
        for (TableFile f : files)
            sha.update((f.path() + "\t" + f.size() + "\t" + f.modifiedMillis() + "\n").getBytes(StandardCharsets.UTF_8));
        sha.update(("where\t" + where + "\n").getBytes(StandardCharsets.UTF_8));
        return Sha256.hex(sha);
    }
}
