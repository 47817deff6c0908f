package io.recur.registry;

import io.recur.config.CorpusFormat;
import io.recur.config.CorpusSpec;
import io.recur.config.SourceFormat;
import io.recur.config.TableSpec;
import io.recur.config.TokenizerKind;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("CorpusFingerprint of a corpus directory")
class CorpusFingerprintTest {
    @TempDir
    Path corpus;
    final Configuration hadoop = new Configuration();

    CorpusFingerprint fingerprint(CorpusFingerprint previous) {
        return CorpusFingerprint.of(List.of(corpus.toString()), hadoop, previous);
    }

    void write(String name, String text) throws IOException {
        Files.writeString(corpus.resolve(name), text);
    }

    @Test
    void isTheSameForAnUnchangedCorpus() throws IOException {
        write("a.txt", "one\ntwo\n");
        assertTrue(fingerprint(null).sameCorpusAs(fingerprint(null)));
    }

    @Test
    void changesWhenAFileIsAdded() throws IOException {
        write("a.txt", "one\n");
        CorpusFingerprint before = fingerprint(null);
        write("b.txt", "two\n");
        CorpusFingerprint after = fingerprint(before);
        assertFalse(after.sameCorpusAs(before));
        assertEquals(2, after.files().size());
    }

    @Test
    void changesWhenAFileChangesInPlaceWithItsSize() throws IOException {
        write("a.txt", "one\n");
        CorpusFingerprint before = fingerprint(null);
        write("a.txt", "one\nmore\n");
        assertFalse(fingerprint(before).sameCorpusAs(before));
    }

    @Test
    void ignoresATouchThatKeepsTheContent() throws IOException {
        write("a.txt", "one\n");
        CorpusFingerprint before = fingerprint(null);
        Files.setLastModifiedTime(corpus.resolve("a.txt"), FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
        CorpusFingerprint after = fingerprint(before);
        assertTrue(after.sameCorpusAs(before));
        assertNotEquals(before.files().get(0).modifiedMillis(), after.files().get(0).modifiedMillis());
    }

    @Test
    void reusesTheStoredChecksumOfAFileWithUnchangedSizeAndTime() throws IOException {
        write("a.txt", "one\n");
        CorpusFingerprint real = fingerprint(null);
        CorpusFingerprint.FileEntry f = real.files().get(0);
        // A stored checksum that differs from the content shows whether the file was read again.
        CorpusFingerprint stored = new CorpusFingerprint(real.digest(),
                List.of(new CorpusFingerprint.FileEntry(f.path(), f.size(), f.modifiedMillis(), "0".repeat(64))));
        assertEquals("0".repeat(64), fingerprint(stored).files().get(0).sha256());
    }

    @Test
    void skipsHiddenFilesAsTheCorpusReaderDoes() throws IOException {
        write("a.txt", "one\n");
        CorpusFingerprint before = fingerprint(null);
        write(".a.txt.crc", "checksum");
        write("_SUCCESS", "");
        assertTrue(fingerprint(before).sameCorpusAs(before));
    }

    @Nested
    @DisplayName("of a table (corpus.source = parquet)")
    class OfATable {
        CorpusFingerprint table(String where) {
            CorpusSpec spec = new CorpusSpec(List.of(corpus.toString()), CorpusFormat.LABELED, TokenizerKind.WHITESPACE,
                    false, 100, 0).withTable(SourceFormat.PARQUET,
                    new TableSpec("text", "", "label", "", "", where, TableSpec.NONE.csv()));
            return CorpusFingerprint.of(spec, hadoop, null);
        }

        void partition(String day) throws IOException {
            Path dir = Files.createDirectories(corpus.resolve("dt=" + day));
            Files.writeString(dir.resolve("part-00000.parquet"), "rows of " + day);
            Files.writeString(dir.resolve("_SUCCESS"), "");
        }

        @Test
        void isTheSameForAnUnchangedTableAndFilter() throws IOException {
            partition("2026-11-01");
            assertTrue(table("dt >= '2026-11-01'").sameCorpusAs(table("dt >= '2026-11-01'")));
        }

        @Test
        void changesWhenAPartitionIsAdded() throws IOException {
            partition("2026-11-01");
            CorpusFingerprint before = table("");
            partition("2026-11-02");
            CorpusFingerprint after = table("");
            assertFalse(after.sameCorpusAs(before));
            assertEquals(2, after.files().size(), "the part files, without _SUCCESS: " + after.files());
        }

        @Test
        void changesWhenTheFilterChanges() throws IOException {
            partition("2026-11-01");
            assertFalse(table("dt >= '2026-11-02'").sameCorpusAs(table("dt >= '2026-11-01'")));
        }

        @Test
        void changesWhenAFileIsRewrittenWithItsSize() throws IOException {
            partition("2026-11-01");
            CorpusFingerprint before = table("");
            Path part = corpus.resolve("dt=2026-11-01/part-00000.parquet");
            Files.setLastModifiedTime(part, FileTime.from(Instant.now().plusSeconds(60)));
            assertFalse(table("").sameCorpusAs(before), "a table's files are not hashed, so a new time is a new file");
        }
    }
}
