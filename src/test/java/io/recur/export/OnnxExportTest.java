package io.recur.export;

import io.recur.config.Cell;
import io.recur.config.Task;
import io.recur.config.TokenizerKind;
import io.recur.corpus.Tokenizer;
import io.recur.config.UserInputException;
import io.recur.job.SavedRun;
import io.recur.job.UntrainedRuns;
import io.recur.model.FusedRecurrent;
import io.recur.vocab.Vocabulary;
import io.recur.vocab.VocabularyFile;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("OnnxExport")
class OnnxExportTest {

    private static SavedRun classifier() {
        return ExportedRuns.run(new ExportedRuns.Combination(Cell.GRU, Task.CLASSIFY, true, 5), 3);
    }

    private static SavedRun languageModel() {
        return ExportedRuns.run(new ExportedRuns.Combination(Cell.LSTM, Task.LM, false, 0), 3);
    }

    @Nested
    @DisplayName("of a classifier")
    class OfAClassifier {
        @Test
        void writesTheModelVocabularyLabelsTokenizerAndSignature(@TempDir Path dir) throws IOException {
            Path out = OnnxExport.write(classifier(), "test", dir.resolve("export"));
            try (Stream<Path> files = Files.list(out)) {
                assertEquals(List.of("labels.json", "model.onnx", "signature.json", "tokenizer.json", "vocab.json"),
                        files.map(p -> p.getFileName().toString()).sorted().toList());
            }
        }

        @Test
        void leavesNoHiddenDirectoryBeside(@TempDir Path dir) throws IOException {
            OnnxExport.write(classifier(), "test", dir.resolve("export"));
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(List.of("export"), files.map(p -> p.getFileName().toString()).toList());
            }
        }

        @Test
        void keepsTheHangulVocabularyAndLabelsAsTheRunHasThem(@TempDir Path dir) throws IOException {
            SavedRun run = classifier();
            Path out = OnnxExport.write(run, "test", dir.resolve("export"));
            try (InputStream in = Files.newInputStream(out.resolve("vocab.json"))) {
                Vocabulary read = VocabularyFile.read(in);
                assertEquals(run.vocab(), read);
                assertEquals("한", read.token(Vocabulary.EOS_ID + 1));
            }
            try (InputStream in = Files.newInputStream(out.resolve("labels.json"))) {
                assertEquals(List.of("긍정", "부정", "중립"), VocabularyFile.readLabels(in).labels());
            }
        }

        @Test
        void signsOneProbabilityPerLabel(@TempDir Path dir) throws IOException {
            Path out = OnnxExport.write(classifier(), "test", dir.resolve("export"));
            try (InputStream in = Files.newInputStream(out.resolve("signature.json"))) {
                ModelSignature s = ModelSignature.read(in);
                assertEquals(List.of("tokens", "lengths"), s.inputs().stream().map(ModelSignature.Tensor::name).toList());
                assertEquals(new ModelSignature.Tensor("probabilities", "float32", List.of("batch", "3"),
                        s.outputs().get(0).description()), s.outputs().get(0));
            }
        }

        @Test
        void refusesAnExistingOutputDirectoryAndLeavesItAlone(@TempDir Path dir) throws IOException {
            Path existing = Files.createDirectory(dir.resolve("export"));
            Files.writeString(existing.resolve("mine.txt"), "keep");
            var e = assertThrows(UserInputException.class, () -> OnnxExport.write(classifier(), "test", existing));
            assertTrue(e.getMessage().contains(existing.toString()), e.getMessage());
            try (Stream<Path> files = Files.list(existing)) {
                assertEquals(List.of(existing.resolve("mine.txt")), files.toList());
            }
        }
    }

    @Nested
    @DisplayName("of a character language model")
    class OfALanguageModel {
        @Test
        void tellsToStartWithBosAndKeepTheLastTokens(@TempDir Path dir) throws IOException {
            Path out = OnnxExport.write(languageModel(), "test", dir.resolve("export"));
            try (InputStream in = Files.newInputStream(out.resolve("tokenizer.json"))) {
                TokenizerSettings t = TokenizerSettings.read(in);
                assertEquals("char", t.kind());
                assertEquals("NFC", t.normalization());
                assertTrue(t.startWithBos());
                assertEquals("keep-last", t.longerInput());
                assertEquals(new TokenizerSettings.ReservedIds(0, 1, 2, 3), t.reservedIds());
            }
        }

        @Test
        void readsDecomposedHangulAsTheVocabularysSyllables(@TempDir Path dir) throws IOException {
            SavedRun run = languageModel();
            Path out = OnnxExport.write(run, "test", dir.resolve("export"));
            TokenizerSettings t;
            try (InputStream in = Files.newInputStream(out.resolve("tokenizer.json"))) {
                t = TokenizerSettings.read(in);
            }
            Tokenizer tokenizer = Tokenizer.of(TokenizerKind.valueOf(t.kind().toUpperCase(Locale.ROOT)), t.lowercase());
            // Eight conjoining jamo, as some keyboards and file systems (macOS) write 한국어.
            String decomposed = Normalizer.normalize("한국어", Normalizer.Form.NFD);
            assertEquals(8, decomposed.length());
            int first = Vocabulary.EOS_ID + 1;
            assertArrayEquals(new int[] {first, first + 1, first + 2}, run.vocab().encode(tokenizer.tokenize(decomposed)));
        }

        @Test
        void writesNoLabels(@TempDir Path dir) {
            Path out = OnnxExport.write(languageModel(), "test", dir.resolve("export"));
            assertFalse(Files.exists(out.resolve("labels.json")));
        }
    }

    @Nested
    @DisplayName("of a model ONNX export does not cover")
    class Unsupported {
        @Test
        void refusesASyntheticTaskNamingIt(@TempDir Path dir) {
            SavedRun run = UntrainedRuns.synthetic("sequence-copy");
            var e = assertThrows(UserInputException.class, () -> OnnxExport.write(run, "runs/copy", dir.resolve("export")));
            assertTrue(e.getMessage().contains("sequence-copy"), e.getMessage());
            assertFalse(Files.exists(dir.resolve("export")));
        }

        @Test
        void refusesAnMguNamingTheCellAndWritesNothing(@TempDir Path dir) {
            SavedRun lm = languageModel();
            int v = lm.vocab().size();
            MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                    .layer(new FusedRecurrent.Builder(Cell.MGU).nIn(v).nOut(4).build())
                    .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.SPARSE_MCXENT).dataFormat(RNNFormat.NCW)
                            .nIn(4).nOut(v).activation(Activation.SOFTMAX).build())
                    .build());
            net.init();
            SavedRun run = new SavedRun(lm.spec(), net, lm.vocab(), null, lm.provenance());
            var e = assertThrows(UserInputException.class, () -> OnnxExport.write(run, "test", dir.resolve("export")));
            assertTrue(e.getMessage().contains("mgu"), e.getMessage());
            assertFalse(Files.exists(dir.resolve("export")));
        }

        @Test
        void refusesUnknownWordClassesNamingTheKeyAndWritesNothing(@TempDir Path dir) {
            SavedRun lm = languageModel();
            List<String> tokens = new ArrayList<>(lm.vocab().tokens().subList(4, lm.vocab().size()));
            tokens.add(Vocabulary.unknownClass("Aa"));
            Vocabulary classes = Vocabulary.of(tokens, new ArrayList<>(Collections.nCopies(tokens.size(), 2L)), true);
            SavedRun run = new SavedRun(lm.spec(), lm.network(), classes, null, lm.provenance());
            var e = assertThrows(UserInputException.class, () -> OnnxExport.write(run, "test", dir.resolve("export")));
            assertTrue(e.getMessage().contains("vocab.unknown-word-classes"), e.getMessage());
            assertFalse(Files.exists(dir.resolve("export")));
        }
    }
}
