package io.recur.provenance;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("RunManifest")
class RunManifestTest {
    @TempDir
    java.nio.file.Path run;
    FileSystem fs;

    @BeforeEach
    void files() throws IOException {
        fs = FileSystem.getLocal(new Configuration()).getRawFileSystem();
        Files.writeString(run.resolve("model.zip"), "model");
        Files.createDirectories(run.resolve("member"));
        Files.writeString(run.resolve("member/vocab.json"), "{}");
    }

    @Test
    void namesFilesRelativeToTheRunWhateverTheDirectoryUriEndsWith() throws IOException {
        // A directory's file: URI ends with '/'.
        RunManifest manifest = RunManifest.write(fs, new Path(run.toUri()));
        assertEquals(List.of("member/vocab.json", "model.zip"), List.copyOf(manifest.files().keySet()));
        assertEquals(manifest, RunManifest.read(fs, new Path(run.toString())));
    }

    @Test
    void findsNoMismatchInTheRunAsWritten() throws IOException {
        RunManifest manifest = RunManifest.write(fs, new Path(run.toString()));
        assertEquals(List.of(), manifest.mismatches(fs, new Path(run.toString())));
    }

    @Test
    void namesAFileOfTheSameSizeWithOtherBytes() throws IOException {
        RunManifest manifest = RunManifest.write(fs, new Path(run.toString()));
        Files.writeString(run.resolve("member/vocab.json"), "[]");
        List<String> wrong = manifest.mismatches(fs, new Path(run.toString()));
        assertEquals(1, wrong.size());
        assertTrue(wrong.get(0).startsWith("member/vocab.json: SHA-256 "), wrong.get(0));
    }

    @Test
    void isAbsentFromARunPublishedBeforeManifests() throws IOException {
        assertNull(RunManifest.read(fs, new Path(run.toString())));
    }
}
