package io.recur.registry;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.DisplayName;
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
}
