package io.recur.spark.ml;

import io.recur.testing.LocalSpark;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RecurTagger on the Brown slice as tokens and tags columns: fit, transform, save, load, transform. */
@Tag("spark")
@DisplayName("RecurTagger on the Brown slice")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecurTaggerTest {
    private static final Path SLICE = Path.of("src/test/resources/corpus/brown-slice.txt");

    private JavaSparkContext sc;
    private Dataset<Row> brown;
    private RecurTaggingModel model;
    private List<Row> answers;

    @BeforeAll
    void fitTheTagger(@TempDir Path dir) throws IOException {
        sc = LocalSpark.start(RecurTaggerTest.class);
        SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        brown = spark.createDataFrame(sentences(), new StructType()
                .add("words", DataTypes.createArrayType(DataTypes.StringType))
                .add("pos", DataTypes.createArrayType(DataTypes.StringType)));
        // src/test/resources/jobs/brown-slice.conf, smaller: the round trip is the point, not the tagger's accuracy.
        model = new RecurTagger().setTokensCol("words").setTagsCol("pos").setPredictionCol("tagged")
                .setSpec("output.dir", dir.resolve("runs").toString()).setSpec("job.name", "brown-slice")
                .setSpec("job.seed", 7).setSpec("corpus.tag-simplify", true).setSpec("model.hidden-size", 16)
                .setSpec("model.embedding-size", 16).setSpec("model.bidirectional", true)
                .setSpec("model.learning-rate", 0.02).setSpec("train.epochs", 1).setSpec("train.batch-size", 16)
                .setSpec("train.workers", 2).setSpec("eval.strong-baseline", false)
                .fit(brown);
        answers = model.transform(brown).select("words", "tagged").collectAsList();
    }

    @AfterAll
    void stopSpark() {
        sc.stop();
    }

    /** The slice's sentences as rows of words and their tags: {@code word/TAG} split at the last slash. */
    private static List<Row> sentences() throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(SLICE, StandardCharsets.UTF_8)) {
            if (line.isBlank()) continue;
            List<String> words = new ArrayList<>();
            List<String> tags = new ArrayList<>();
            for (String pair : line.trim().split("\\s+")) {
                int slash = pair.lastIndexOf('/');
                words.add(pair.substring(0, slash));
                tags.add(pair.substring(slash + 1));
            }
            rows.add(RowFactory.create(words.toArray(String[]::new), tags.toArray(String[]::new)));
        }
        return rows;
    }

    @Test
    void tagsEveryTokenOfEverySentenceWithATagOfTheTrainingSet() {
        assertEquals(brown.count(), answers.size());
        List<String> tagSet = model.run().labels().labels();
        for (Row r : answers) {
            List<String> words = r.getList(0);
            List<String> tags = r.getList(1);
            assertEquals(words.size(), tags.size(), r.toString());
            assertTrue(tagSet.containsAll(tags), r.toString());
        }
    }

    @Test
    void savedAndLoadedModelTagsTheSame(@TempDir Path dir) throws IOException {
        String saved = dir.resolve("tagger").toString();
        model.write().save(saved);
        RecurTaggingModel loaded = RecurTaggingModel.load(saved);
        assertEquals("tagged", loaded.getOrDefault(loaded.getParam("predictionCol")));
        assertEquals(answers, loaded.transform(brown).select("words", "tagged").collectAsList());
    }

    @Test
    void savingOverAModelNeedsOverwrite(@TempDir Path dir) throws IOException {
        String saved = dir.resolve("tagger").toString();
        model.write().save(saved);
        IOException e = assertThrows(IOException.class, () -> model.write().save(saved));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        model.write().overwrite().save(saved);
        assertEquals(answers, RecurTaggingModel.load(saved).transform(brown).select("words", "tagged").collectAsList());
    }

    @Test
    void classificationModelRefusesTheTaggersRun() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RecurClassificationModel.load(model.runDirectory()));
        assertTrue(e.getMessage().endsWith("job.task = tag, but RecurClassificationModel answers job.task = classify"),
                e.getMessage());
    }

    @Test
    void transformSchemaRejectsATagsColumnOfStrings() {
        StructType schema = new StructType().add("words", DataTypes.createArrayType(DataTypes.StringType))
                .add("pos", DataTypes.StringType);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RecurTagger().setTokensCol("words").setTagsCol("pos").transformSchema(schema));
        assertEquals("tagsCol = \"pos\": the column is string, expected array<string>; the columns: words array<string>, pos string",
                e.getMessage());
    }
}
