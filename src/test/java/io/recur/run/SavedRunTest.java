package io.recur.run;

import io.recur.config.UserInputException;
import io.recur.job.UntrainedRuns;
import io.recur.provenance.RunManifest;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loading a published run directory: its manifest and what its files say about each other. */
@DisplayName("SavedRun.read")
class SavedRunTest {
    private static final List<String> WORDS = List.of("free", "prize", "call", "now");
    @TempDir
    Path runs;
    Path classifier, languageModel;
    private final ByteArrayOutputStream warnings = new ByteArrayOutputStream();

    @BeforeEach
    void publish() {
        classifier = Path.of(URI.create(UntrainedRuns.publish(UntrainedRuns.classifier(WORDS), runs.resolve("c"))));
        languageModel = Path.of(URI.create(UntrainedRuns.publish(UntrainedRuns.languageModel(WORDS), runs.resolve("l"))));
    }

    private SavedRun read(Path run) {
        return SavedRun.read(run.toString(), new Configuration(), new PrintStream(warnings, true, StandardCharsets.UTF_8));
    }

    private String failure(Path run) {
        return assertThrows(UserInputException.class, () -> read(run)).getMessage();
    }

    private static void randomBytes(Path file) throws IOException {
        byte[] bytes = new byte[4096];
        new Random(3).nextBytes(bytes);
        Files.write(file, bytes);
    }

    private static void addLabel(Path run) throws IOException {
        Path labels = run.resolve("labels.json");
        Files.writeString(labels, Files.readString(labels).replace("\"spam\"", "\"spam\", \"eggs\""));
    }

    @Nested
    @DisplayName("with a manifest")
    class WithManifest {
        @Test
        void isWrittenAtPublishListingEveryFileOfTheRun() throws IOException {
            RunManifest manifest = RunManifest.read(org.apache.hadoop.fs.FileSystem.getLocal(new Configuration()),
                    new org.apache.hadoop.fs.Path(classifier.toString()));
            assertEquals(List.of("job.conf", "labels.json", "model.zip", "provenance.json", "vocab.json"),
                    List.copyOf(manifest.files().keySet()));
            assertEquals(Files.size(classifier.resolve("model.zip")), manifest.files().get("model.zip").bytes());
        }

        @Test
        void loadsTheRunAsPublishedWithoutAWarning() {
            assertEquals(2, read(classifier).labels().size());
            assertEquals("", warnings.toString(StandardCharsets.UTF_8));
        }

        @Test
        void rejectsALabelsFileWithAnExtraLabelNamingIt() throws IOException {
            addLabel(classifier);
            String message = failure(classifier);
            assertTrue(message.startsWith(classifier.resolve("labels.json") + ": "), message);
        }

        @Test
        void rejectsAModelOfRandomBytesNamingIt() throws IOException {
            randomBytes(classifier.resolve("model.zip"));
            String message = failure(classifier);
            assertTrue(message.startsWith(classifier.resolve("model.zip") + ": "), message);
        }

        @Test
        void rejectsTheModelOfAnotherRunNamingIt() throws IOException {
            Files.copy(languageModel.resolve("model.zip"), classifier.resolve("model.zip"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertTrue(failure(classifier).startsWith(classifier.resolve("model.zip") + ": "));
        }

        @Test
        void rejectsAManifestThatIsNotOneNamingIt() throws IOException {
            Files.writeString(classifier.resolve(RunManifest.FILE), "{ not json");
            String message = failure(classifier);
            assertTrue(message.startsWith(classifier.resolve(RunManifest.FILE) + ": "), message);
        }

        @Test
        void rejectsAFileItReadsThatTheManifestDoesNotList() throws IOException {
            Path manifest = classifier.resolve(RunManifest.FILE);
            String text = Files.readString(manifest);
            Files.writeString(manifest, text.replaceAll("(?s)\"labels.json\" : \\{[^}]*},", ""));
            String message = failure(classifier);
            assertTrue(message.startsWith(classifier.resolve("labels.json") + ": not in manifest.json"), message);
        }

        @Test
        void loadsWhenAFileItDoesNotReadWasDeleted() throws IOException {
            // An LM run lists no labels; publish one with an extra report file, then delete it.
            Path extra = languageModel.resolve("notes.txt");
            Files.writeString(extra, "x");
            var fs = org.apache.hadoop.fs.FileSystem.getLocal(new Configuration()).getRawFileSystem();
            Files.delete(languageModel.resolve(RunManifest.FILE));
            RunManifest.write(fs, new org.apache.hadoop.fs.Path(languageModel.toString()));
            Files.delete(extra);
            read(languageModel);
        }

        @Test
        void rejectsAMissingFileItReadsNamingIt() throws IOException {
            Files.delete(classifier.resolve("vocab.json"));
            assertTrue(failure(classifier).startsWith(classifier.resolve("vocab.json") + ": missing"));
        }
    }

    @Nested
    @DisplayName("published before manifests")
    class WithoutManifest {
        @BeforeEach
        void deleteManifests() throws IOException {
            Files.delete(classifier.resolve(RunManifest.FILE));
            Files.delete(languageModel.resolve(RunManifest.FILE));
        }

        @Test
        void loadsWithAWarningNamingTheMissingManifest() {
            read(classifier);
            assertTrue(warnings.toString(StandardCharsets.UTF_8).startsWith("recur: warning: "
                    + classifier.resolve(RunManifest.FILE) + " is missing"), warnings::toString);
        }

        @Test
        void rejectsALabelsFileWhoseCountDiffersFromTheNetworkOutputs() throws IOException {
            addLabel(classifier);
            String message = failure(classifier);
            assertTrue(message.startsWith(classifier.resolve("labels.json") + ": 3 labels, but the network"), message);
        }

        @Test
        void rejectsAOneLabelFileNamingIt() throws IOException {
            Files.writeString(classifier.resolve("labels.json"), "{\"labels\": [\"ham\"]}");
            assertTrue(failure(classifier).startsWith(classifier.resolve("labels.json") + ": 1 labels"));
        }

        @Test
        void rejectsAModelOfRandomBytesNamingIt() throws IOException {
            randomBytes(classifier.resolve("model.zip"));
            String message = failure(classifier);
            assertTrue(message.startsWith(classifier.resolve("model.zip") + ": cannot read it (not a DL4J model"), message);
        }

        @Test
        void rejectsAnAlteredVocabularyNamingIt() throws IOException {
            Path vocab = languageModel.resolve("vocab.json");
            Files.writeString(vocab, Files.readString(vocab).replace("\"free\"", "\"fre3\""));
            assertTrue(failure(languageModel).startsWith(languageModel.resolve("vocab.json") + ": vocabulary hash"));
        }
    }

    @Test
    void rejectsAnEmptyModelArgument() {
        var e = assertThrows(UserInputException.class, () -> SavedRun.read("", new Configuration()));
        assertTrue(e.getMessage().startsWith("--model: empty"), e.getMessage());
    }
}
