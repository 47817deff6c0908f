package io.recur.export;

import io.recur.cli.Main;
import io.recur.job.UntrainedRuns;
import io.recur.registry.CorpusFingerprint;
import io.recur.registry.Lineage;
import io.recur.registry.MetricComparison;
import io.recur.registry.Outcome;
import io.recur.registry.Registry;
import io.recur.vocab.VocabularyFile;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** {@code recur export --registry URI --name NAME}: the champion's run, no Spark. */
@DisplayName("recur export from a registry")
class ExportCommandTest {
    @TempDir
    java.nio.file.Path root;

    private Registry registryWithOneVersion(boolean promote) {
        Registry registry = Registry.open(root.toString(), "spam", new Configuration());
        String run = UntrainedRuns.publish(UntrainedRuns.classifier(List.of("free", "prize", "call")),
                root.resolve("spam/.staging"));
        MetricComparison c = new MetricComparison("accuracy", true, 0.9, Double.NaN, 0);
        String version = registry.publish(new Path(run), new Lineage(null, "spam", null, Outcome.PROMOTED, c.reason(),
                null, "0.1", "abc", "run", Map.of(), c, Map.of(), new CorpusFingerprint("d", List.of())));
        if (promote) registry.promote(version, "test");
        return registry;
    }

    @Test
    void exportsTheChampionsRun() throws IOException {
        registryWithOneVersion(true);
        java.nio.file.Path out = root.resolve("export");
        assertEquals(0, Main.run("export", "--registry", root.toString(), "--name", "spam", "--format", "onnx",
                "--output", out.toString()));
        try (InputStream in = Files.newInputStream(out.resolve("labels.json"))) {
            assertEquals(List.of("ham", "spam"), VocabularyFile.readLabels(in).labels());
        }
    }

    @Test
    void refusesARegistryWithoutChampion() {
        registryWithOneVersion(false);
        java.nio.file.Path out = root.resolve("export");
        assertEquals(2, Main.run("export", "--registry", root.toString(), "--name", "spam", "--format", "onnx",
                "--output", out.toString()));
        assertFalse(Files.exists(out));
    }

    @Test
    void refusesBothARunAndARegistry() {
        assertEquals(2, Main.run("export", "--model", root.toString(), "--registry", root.toString(), "--name", "spam",
                "--format", "onnx", "--output", root.resolve("export").toString()));
    }
}
