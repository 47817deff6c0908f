package io.recur.export;

import io.recur.cli.Main;
import io.recur.config.Task;
import io.recur.config.TokenizerKind;
import io.recur.corpus.Tokenizer;
import io.recur.job.PredictJob;
import io.recur.run.SavedRun;
import io.recur.vocab.LabelSet;
import io.recur.vocab.Vocabulary;
import io.recur.vocab.VocabularyFile;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code recur export} on a classifier trained by {@code recur train}, and the exported model fed
 * as docs/export.md tells a caller to feed it: tokenized with tokenizer.json's settings, ids from
 * vocab.json, one batch padded with pad. Its answers must be {@code recur predict}'s.
 */
@Tag("spark")
@DisplayName("recur export of a trained classifier")
class ExportCommandLineTest {
    private static final List<String> MESSAGES = List.of(
            "free entry in a weekly competition to win cash now",
            "ok i will call you later",
            "URGENT you have won a prize claim it now text WIN to 80086",
            "sorry",
            "are we still on for dinner tonight my place at 7");
    private static Path run;
    private static Path export;

    @BeforeAll
    static void trainAndExport(@TempDir Path dir) throws IOException {
        Path runs = dir.resolve("runs");
        int trained = Main.run("train", "src/test/resources/jobs/sms-slice.conf", "--master", "local[1]",
                "--set", "output.dir=" + runs, "--set", "train.epochs=1", "--set", "train.workers=1",
                "--set", "model.hidden-size=16");
        assertEquals(0, trained, "recur train");
        try (Stream<Path> published = Files.list(runs.resolve("sms-slice"))) {
            run = published.filter(p -> !p.getFileName().toString().startsWith(".")).findFirst().orElseThrow();
        }
        export = dir.resolve("sms-onnx");
        assertEquals(0, Main.run("export", "--model", run.toString(), "--format", "onnx", "--output", export.toString()),
                "recur export");
    }

    @Test
    void answersEveryMessageAsPredictDoes() throws Exception {
        TokenizerSettings settings;
        try (InputStream in = Files.newInputStream(export.resolve("tokenizer.json"))) {
            settings = TokenizerSettings.read(in);
        }
        Vocabulary vocab;
        LabelSet labels;
        try (InputStream in = Files.newInputStream(export.resolve("vocab.json"))) {
            vocab = VocabularyFile.read(in);
        }
        try (InputStream in = Files.newInputStream(export.resolve("labels.json"))) {
            labels = VocabularyFile.readLabels(in);
        }
        Tokenizer tokenizer = Tokenizer.of(TokenizerKind.valueOf(settings.kind().toUpperCase(Locale.ROOT)), settings.lowercase());
        int steps = MESSAGES.stream().mapToInt(m -> tokenizer.tokenize(m).size()).max().orElseThrow();
        long[][] tokens = new long[MESSAGES.size()][steps];
        int[] lengths = new int[MESSAGES.size()];
        for (int i = 0; i < MESSAGES.size(); i++) {
            int[] ids = vocab.encode(tokenizer.tokenize(MESSAGES.get(i)));
            lengths[i] = ids.length;
            for (int t = 0; t < ids.length; t++) tokens[i][t] = ids[t];
        }
        float[][][] p = ExportedRuns.onnx(Files.readAllBytes(export.resolve("model.onnx")), tokens, lengths, Task.CLASSIFY);

        PredictJob predict = new PredictJob(SavedRun.read(run.toString(), new Configuration()), 1);
        for (int i = 0; i < MESSAGES.size(); i++) {
            int best = 0;
            for (int k = 1; k < labels.size(); k++) if (p[i][0][k] > p[i][0][best]) best = k;
            String[] predicted = predict.predict(MESSAGES.get(i)).split("\t");
            assertEquals(predicted[0], labels.label(best), MESSAGES.get(i));
            // predict prints four decimals.
            assertEquals(Double.parseDouble(predicted[1]), p[i][0][best], 0.5e-4 + 1e-5, MESSAGES.get(i));
        }
    }
}
