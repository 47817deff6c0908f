package io.recur.registry;

import io.recur.config.UserInputException;
import io.recur.provenance.RunManifest;
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
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code registry promote} of a version whose files differ from its manifest. */
@DisplayName("Registry.promote of an altered version")
class PromoteAlteredVersionTest {
    @TempDir
    java.nio.file.Path root;
    Registry registry;
    String version;

    @BeforeEach
    void publishAVersionWithAManifest() throws IOException {
        registry = Registry.open(root.toString(), "spam", new Configuration());
        java.nio.file.Path run = Files.createDirectories(root.resolve("spam/.staging/runs/job/run-1"));
        Files.writeString(run.resolve("model.zip"), "model");
        RunManifest.write(FileSystem.getLocal(new Configuration()).getRawFileSystem(), new Path(run.toUri()));
        version = registry.publish(new Path(run.toUri()), new Lineage(null, "spam", null, Outcome.REJECTED, "because",
                null, "0.1", "abc", "run-1", Map.of(), null, null, new CorpusFingerprint("d", List.of())));
    }

    private java.nio.file.Path versionDir() {
        return java.nio.file.Path.of(registry.versionDir(version).toUri());
    }

    @Test
    void promotesTheVersionAsPublished() {
        registry.promote(version, "as published");
        assertEquals(version, registry.champion().orElseThrow());
    }

    @Test
    void refusesAVersionWhoseModelWasReplacedNamingTheFile() throws IOException {
        Files.writeString(versionDir().resolve("model.zip"), "other model");
        var e = assertThrows(UserInputException.class, () -> registry.promote(version, "altered"));
        assertTrue(e.getMessage().contains("model.zip: "), e.getMessage());
        assertTrue(registry.champion().isEmpty());
    }
}
