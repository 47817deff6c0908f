package io.recur.score;

import io.recur.config.UserInputException;
import io.recur.job.EvaluateJob;
import io.recur.job.PredictJob;
import io.recur.run.SavedRun;
import io.recur.job.UntrainedRuns;
import io.recur.testing.LocalSpark;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("spark")
@DisplayName("score on local[2]")
class ScoreJobTest {
    private static final Path SMS = Path.of("src/test/resources/corpus/sms-spam-slice.tsv");
    private static final Path MOBY = Path.of("src/test/resources/corpus/moby-dick-slice.txt");
    private static final Path BROWN = Path.of("src/test/resources/corpus/brown-slice.txt");
    /** The first 200 lines of the SMS slice: each line is scored whole, its label and tab included, as predict would. */
    private static final int SMS_ROWS = 200;

    private static JavaSparkContext sc;
    private static SparkSession spark;
    private static SavedRun classifier;

    @BeforeAll
    static void start() throws IOException {
        sc = LocalSpark.start(ScoreJobTest.class);
        spark = SparkSession.builder().getOrCreate();
        List<String> words = Files.readAllLines(SMS).stream().limit(SMS_ROWS)
                .flatMap(l -> Arrays.stream(l.split("\\s+"))).distinct().toList();
        classifier = UntrainedRuns.classifier(words);
    }

    @AfterAll
    static void stop() {
        sc.close();
    }

    private static Path smsInput(Path dir) throws IOException {
        return Files.write(dir.resolve("sms.txt"), Files.readAllLines(SMS).subList(0, SMS_ROWS));
    }

    private static ScoreReport score(SavedRun run, Integer topK, Path input, Path output, OutputFormat format,
                                     boolean overwrite) throws IOException {
        return new ScoreJob(run, "untrained", topK).run(sc, new TextFileSource(List.of(input.toString()),
                run.spec().corpus()), output.toString(), format, overwrite);
    }

    private static Map<String, Row> byKey(List<Row> rows) {
        Map<String, Row> out = new HashMap<>();
        for (Row r : rows) out.put(r.getAs("key"), r);
        return out;
    }

    private static String key(Path file, int line) {
        return file.toUri().toString().replaceFirst("^file:///", "file:/") + ":" + line;
    }

    @Nested
    @DisplayName("a classifier")
    class Classifier {
        @Test
        void givesEachRowTheLabelAndProbabilitiesOfPredict(@TempDir Path dir) throws IOException {
            Path input = smsInput(dir);
            ScoreReport report = score(classifier, 2, input, dir.resolve("out"), OutputFormat.PARQUET, false);
            assertEquals(SMS_ROWS, report.scored(), "every line has tokens: " + report);
            Map<String, Row> rows = byKey(spark.read().parquet(dir.resolve("out").toString()).collectAsList());
            assertEquals(SMS_ROWS, rows.size());
            PredictJob predict = new PredictJob(classifier, 2);
            List<String> lines = Files.readAllLines(input);
            for (int i = 0; i < lines.size(); i++) {
                Row row = rows.get(key(input, i + 1));
                String[] answer = predict.predict(lines.get(i)).split("\t");
                double[] p = predict.classProbabilities(predict.tokens(lines.get(i)));
                assertEquals(lines.get(i), row.getAs("text"));
                assertEquals(answer[0], row.getAs("label"), "line " + (i + 1));
                assertEquals(p[classifier.labels().id(answer[0])], (double) row.getAs("probability"), 1e-6, "line " + (i + 1));
                List<Row> top = row.getList(row.fieldIndex("topK"));
                assertEquals(List.of(answer[0], answer[2]), top.stream().map(t -> t.getString(0)).toList(), "line " + (i + 1));
                assertEquals(p[classifier.labels().id(answer[2])], top.get(1).getDouble(1), 1e-6, "line " + (i + 1));
            }
        }

        @Test
        void writesCsvWithTheTopLabelsAsJsonText(@TempDir Path dir) throws IOException {
            score(classifier, 2, smsInput(dir), dir.resolve("out"), OutputFormat.CSV, false);
            List<Row> rows = spark.read().option("header", "true").csv(dir.resolve("out").toString()).collectAsList();
            assertEquals(SMS_ROWS, rows.size());
            String top = rows.get(0).getAs("topK");
            assertTrue(top.startsWith("[{\"label\":\"") && top.contains("\"probability\":"), top);
        }
    }

    @Nested
    @DisplayName("a Parquet table")
    class ParquetTable {
        /** The SMS rows as (id, label, message) with ids from 101, and a last row whose message is null. */
        private Path table(Path dir) throws IOException {
            List<String> lines = Files.readAllLines(SMS).subList(0, SMS_ROWS);
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                String[] fields = lines.get(i).split("\t", 2);
                rows.add(org.apache.spark.sql.RowFactory.create(101L + i, fields[0], fields[1]));
            }
            rows.add(org.apache.spark.sql.RowFactory.create(999L, "ham", null));
            org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
                    .add("id", org.apache.spark.sql.types.DataTypes.LongType)
                    .add("label", org.apache.spark.sql.types.DataTypes.StringType)
                    .add("message", org.apache.spark.sql.types.DataTypes.StringType);
            Path table = dir.resolve("sms.parquet");
            spark.createDataFrame(rows, schema).repartition(3).write().parquet(table.toString());
            return table;
        }

        private ScoreReport scoreTable(Path table, Path output) throws IOException {
            io.recur.config.CorpusSpec read = io.recur.config.JobSpecLoader.scoringInput(classifier.spec(),
                    List.of("corpus.source=parquet", "corpus.columns.text=message", "corpus.columns.id=id"));
            return new ScoreJob(classifier, "untrained", null).run(sc, ScoreSource.of(table.toString(), read),
                    output.toString(), OutputFormat.PARQUET, false);
        }

        @Test
        void givesEachRowPredictsLabelUnderItsIdColumnsValue(@TempDir Path dir) throws IOException {
            ScoreReport report = scoreTable(table(dir), dir.resolve("out"));
            assertEquals(SMS_ROWS, report.scored(), report.toString());
            Map<String, Row> rows = byKey(spark.read().parquet(dir.resolve("out").toString()).collectAsList());
            PredictJob predict = new PredictJob(classifier, null);
            List<String> lines = Files.readAllLines(SMS).subList(0, SMS_ROWS);
            for (int i = 0; i < lines.size(); i++) {
                String message = lines.get(i).split("\t", 2)[1];
                Row row = rows.get(String.valueOf(101 + i));
                assertEquals(message, row.getAs("text"), "id " + (101 + i));
                assertEquals(predict.predict(message).split("\t")[0], row.getAs("label"), "id " + (101 + i));
            }
        }

        @Test
        void rejectsARowWithANullTextUnderItsIdNamingTheColumn(@TempDir Path dir) throws IOException {
            ScoreReport report = scoreTable(table(dir), dir.resolve("out"));
            assertEquals(SMS_ROWS + 1, report.rows());
            List<Row> rejects = spark.read().parquet(dir.resolve("out").resolve(ScoreJob.REJECTS).toString()).collectAsList();
            assertEquals(1, rejects.size());
            assertEquals("999", rejects.get(0).getAs("key"));
            assertEquals("column message (corpus.columns.text) is null", rejects.get(0).getAs("reason"));
        }
    }

    @Nested
    @DisplayName("rows that cannot be scored")
    class Rejects {
        @Test
        void areWrittenToRejectsWithTheirReasonAndCounted(@TempDir Path dir) throws IOException {
            Path input = dir.resolve("mixed.txt");
            byte[] tooLong = "a".repeat(classifier.spec().corpus().maxLineBytes() + 1).getBytes(StandardCharsets.US_ASCII);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            bytes.writeBytes("free prize call now\n".getBytes(StandardCharsets.UTF_8));
            bytes.writeBytes("   \n".getBytes(StandardCharsets.UTF_8));
            bytes.writeBytes(new byte[]{'c', 'a', 'l', 'l', ' ', (byte) 0xC3, (byte) 0x28, '\n'});
            bytes.writeBytes(tooLong);
            bytes.writeBytes("\nhome soon\n".getBytes(StandardCharsets.UTF_8));
            Files.write(input, bytes.toByteArray());

            ScoreReport report = score(classifier, null, input, dir.resolve("out"), OutputFormat.JSON, false);

            assertEquals(5, report.rows());
            assertEquals(2, report.scored());
            assertEquals(3, report.rejected());
            Map<String, Row> rejects = byKey(spark.read().json(dir.resolve("out").resolve(ScoreJob.REJECTS).toString())
                    .collectAsList());
            assertEquals(Scorer.NO_TOKENS, rejects.get(key(input, 2)).getAs("reason"));
            assertEquals("undecodable UTF-8", rejects.get(key(input, 3)).getAs("reason"));
            assertTrue(((String) rejects.get(key(input, 4)).getAs("reason")).startsWith("longer than corpus.max-line-bytes"),
                    rejects.get(key(input, 4)).toString());
            assertEquals(3, rejects.size());
            List<String> scored = spark.read().json(dir.resolve("out").toString()).collectAsList().stream()
                    .map(r -> (String) r.getAs("key")).sorted().toList();
            assertEquals(List.of(key(input, 1), key(input, 5)), scored);
        }
    }

    @Nested
    @DisplayName("publishing the output")
    class Publishing {
        @Test
        void marksTheOutputWithSuccessAndLeavesNoStagingDirectory(@TempDir Path dir) throws IOException {
            score(classifier, null, smsInput(dir), dir.resolve("out"), OutputFormat.PARQUET, false);
            assertTrue(Files.exists(dir.resolve("out/_SUCCESS")));
            assertTrue(Files.exists(dir.resolve("out").resolve(ScoreJob.REJECTS).resolve("_SUCCESS")));
            assertEquals(List.of("out", "sms.txt"), names(dir));
        }

        @Test
        void leavesAnExistingOutputUntouchedWithoutOverwrite(@TempDir Path dir) throws IOException {
            Path mine = Files.createDirectories(dir.resolve("out")).resolve("notes.txt");
            Files.writeString(mine, "mine");
            Path input = smsInput(dir);
            UserInputException e = assertThrows(UserInputException.class,
                    () -> score(classifier, null, input, dir.resolve("out"), OutputFormat.PARQUET, false));
            assertTrue(e.getMessage().contains("--output " + dir.resolve("out")) && e.getMessage().contains("--overwrite"),
                    e.getMessage());
            assertEquals("mine", Files.readString(mine));
            assertEquals(List.of("notes.txt"), names(dir.resolve("out")));
            assertEquals(List.of("out", "sms.txt"), names(dir));
        }

        @Test
        void replacesAnExistingOutputWithOverwrite(@TempDir Path dir) throws IOException {
            Files.writeString(Files.createDirectories(dir.resolve("out")).resolve("notes.txt"), "mine");
            score(classifier, null, smsInput(dir), dir.resolve("out"), OutputFormat.PARQUET, true);
            assertFalse(Files.exists(dir.resolve("out/notes.txt")));
            assertEquals(SMS_ROWS, spark.read().parquet(dir.resolve("out").toString()).count());
            assertEquals(List.of("out", "sms.txt"), names(dir), "neither the old output nor a staging directory is left");
        }

        @Test
        void discardsItsStagingDirectoryWhenAFileIsNoText(@TempDir Path dir) throws IOException {
            Path input = Files.write(dir.resolve("utf16.txt"), "free prize\ncall now\n".getBytes(StandardCharsets.UTF_16LE));
            UserInputException e = assertThrows(UserInputException.class,
                    () -> score(classifier, null, input, dir.resolve("out"), OutputFormat.PARQUET, false));
            assertTrue(e.getMessage().contains("utf16.txt") && e.getMessage().contains("UTF-16"), e.getMessage());
            assertEquals(List.of("utf16.txt"), names(dir));
        }

        private static List<String> names(Path dir) throws IOException {
            try (Stream<Path> files = Files.list(dir)) {
                return files.map(p -> p.getFileName().toString()).sorted().toList();
            }
        }
    }

    @Nested
    @DisplayName("a tagger")
    class Tagger {
        @Test
        void tagsEachTokenAsPredictDoes(@TempDir Path dir) throws IOException {
            List<String> tagged = Files.readAllLines(BROWN).subList(0, 40);
            List<String> sentences = tagged.stream().map(l -> l.replaceAll("/\\S+", "")).toList();
            List<String> words = sentences.stream().flatMap(s -> Arrays.stream(s.toLowerCase().split(" "))).distinct().toList();
            SavedRun tagger = UntrainedRuns.tagger(words);
            Path input = Files.write(dir.resolve("sentences.txt"), sentences);
            score(tagger, null, input, dir.resolve("out"), OutputFormat.PARQUET, false);
            Map<String, Row> rows = byKey(spark.read().parquet(dir.resolve("out").toString()).collectAsList());
            PredictJob predict = new PredictJob(tagger, null);
            for (int i = 0; i < sentences.size(); i++) {
                Row row = rows.get(key(input, i + 1));
                List<String> tokens = row.getList(row.fieldIndex("tokens"));
                List<String> tags = row.getList(row.fieldIndex("tags"));
                List<String> pairs = new ArrayList<>();
                for (int t = 0; t < tokens.size(); t++) pairs.add(tokens.get(t) + "/" + tags.get(t));
                assertEquals(predict.predict(sentences.get(i)), String.join(" ", pairs), "line " + (i + 1));
            }
        }
    }

    @Nested
    @DisplayName("a language model")
    class LanguageModel {
        @Test
        void givesPerRowCrossEntropiesWhoseMeanIsEvaluatesCrossEntropy(@TempDir Path dir) throws IOException {
            List<String> chars = Files.readString(MOBY).codePoints().filter(c -> c != '\n')
                    .mapToObj(Character::toString).distinct().toList();
            SavedRun lm = UntrainedRuns.languageModel(chars);
            // A fifth of the slice keeps the test short; evaluate still reads the whole slice for its baseline.
            Path input = Files.write(dir.resolve("moby.txt"), Files.readAllLines(MOBY).subList(0, 80));
            score(lm, null, input, dir.resolve("out"), OutputFormat.PARQUET, false);
            List<Row> rows = spark.read().parquet(dir.resolve("out").toString()).collectAsList();
            double nll = 0;
            long predictions = 0;
            for (Row r : rows) {
                int n = r.getAs("predictions");
                nll += (double) r.getAs("crossEntropy") * n;
                predictions += n;
                assertEquals(Math.exp(r.getAs("crossEntropy")), (double) r.getAs("perplexity"), 1e-9);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> heldOut = (Map<String, Object>) new EvaluateJob(lm, new PrintStream(new ByteArrayOutputStream()))
                    .run(sc, input.toString(), null).get("heldOut");
            assertEquals(((Number) heldOut.get("examples")).longValue(), rows.size(), "one row per example");
            assertEquals(((Number) heldOut.get("crossEntropy")).doubleValue(), nll / predictions, 1e-5);
        }

        @Test
        void refusesTopK() {
            SavedRun lm = UntrainedRuns.languageModel(List.of("a", "b"));
            UserInputException e = assertThrows(UserInputException.class, () -> new ScoreJob(lm, "lm-run", 3));
            assertTrue(e.getMessage().startsWith("--top-k 3"), e.getMessage());
        }
    }
}
