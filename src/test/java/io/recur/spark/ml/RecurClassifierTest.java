package io.recur.spark.ml;

import io.recur.config.JobSpec;
import io.recur.config.JobSpecLoader;
import io.recur.corpus.Split;
import io.recur.job.EvaluateJob;
import io.recur.job.PredictJob;
import io.recur.run.RunDirectory;
import io.recur.run.SavedRun;
import io.recur.job.TrainJob;
import io.recur.job.TrainRequest;
import io.recur.run.RunMetrics;
import io.recur.testing.LocalSpark;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.SQLTransformer;
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
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Pipeline of Spark's SQLTransformer and RecurClassifier on the SMS slice: fitted, it trains the
 * CLI's job (the same held-out metrics as {@code recur train} on the text file with the same spec),
 * and saved and loaded it answers the same; the saved model is a run directory the CLI loads.
 */
@Tag("spark")
@DisplayName("RecurClassifier in a Pipeline on the SMS slice")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecurClassifierTest {
    private static final String SLICE = "src/test/resources/corpus/sms-spam-slice.tsv";
    /** src/test/resources/jobs/sms-slice.conf, with fewer epochs: the keys an estimator takes as parameters. */
    private static final Map<String, Object> SMS_SLICE = Map.ofEntries(Map.entry("job.name", "sms-slice"),
            Map.entry("job.seed", 7), Map.entry("corpus.tokenizer", "whitespace"), Map.entry("split.train", 0.7),
            Map.entry("split.validation", 0.15), Map.entry("split.test", 0.15), Map.entry("vocab.min-count", 2),
            Map.entry("model.cell", "lstm"), Map.entry("model.hidden-size", 32), Map.entry("model.embedding-size", 32),
            Map.entry("model.learning-rate", 0.01), Map.entry("train.epochs", 2), Map.entry("train.batch-size", 16),
            Map.entry("train.averaging-frequency", 3), Map.entry("train.workers", 2), Map.entry("train.patience", 2),
            Map.entry("eval.strong-baseline", false));

    private JavaSparkContext sc;
    private SparkSession spark;
    private Path dir;
    private Dataset<Row> sms;
    private PipelineModel fitted;
    private List<Row> answers;

    @BeforeAll
    void fitThePipeline(@TempDir Path dir) {
        this.dir = dir;
        sc = LocalSpark.start(RecurClassifierTest.class);
        spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        // The TSV as a headerless table without quoting, in one partition: the rows in the file's order.
        sms = spark.read().option("sep", "\t").option("quote", "\u0000").csv(SLICE);
        RecurClassifier classifier = new RecurClassifier().setSpec("output.dir", dir.resolve("runs").toString());
        SMS_SLICE.forEach(classifier::setSpec);
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[]{
                new SQLTransformer().setStatement("SELECT _c0 AS label, _c1 AS text FROM __THIS__"), classifier});
        fitted = pipeline.fit(sms);
        answers = fitted.transform(sms).select("text", "prediction", "probability").collectAsList();
    }

    @AfterAll
    void stopSpark() {
        sc.stop();
    }

    private RecurClassificationModel classifier(PipelineModel model) {
        return (RecurClassificationModel) model.stages()[1];
    }

    @Test
    void fitHasTheHeldOutMetricsOfTheCliJobOnTheTextFile() throws IOException {
        List<String> overrides = new ArrayList<>();
        SMS_SLICE.forEach((key, value) -> overrides.add(key + "=" + value));
        overrides.add("output.dir=\"" + dir.resolve("cli") + "\"");
        JobSpec spec = JobSpecLoader.load(Path.of("src/test/resources/jobs/sms-slice.conf"), overrides);
        TrainJob.TrainResult cli = new TrainJob(spec, new PrintStream(OutputStream.nullOutputStream()), false)
                .run(TrainRequest.in(sc, RunDirectory.create(spec.output().dir(), spec.name(), sc.hadoopConfiguration())));
        RunMetrics fromCli;
        try (InputStream in = Files.newInputStream(Path.of(URI.create(cli.runDirectory())).resolve(RunMetrics.FILE))) {
            fromCli = RunMetrics.read(in);
        }
        RunMetrics fromPipeline = classifier(fitted).metrics();
        assertTrue(fromCli.heldOut().get("accuracy") instanceof Number, fromCli.heldOut().toString());
        assertAll(
                () -> assertEquals(fromCli.heldOut(), fromPipeline.heldOut(), "held-out metrics"),
                () -> assertEquals(fromCli.baseline(), fromPipeline.baseline(), "baseline"),
                () -> assertEquals(fromCli.vocabSize(), fromPipeline.vocabSize(), "vocabulary size"),
                () -> assertEquals(fromCli.corpus().get("splits"), fromPipeline.corpus().get("splits"), "examples per split"));
    }

    @Test
    void savedAndLoadedPipelineGivesIdenticalPredictions() throws IOException {
        String saved = dir.resolve("saved-pipeline").toString();
        fitted.write().save(saved);
        List<Row> again = PipelineModel.load(saved).transform(sms).select("text", "prediction", "probability").collectAsList();
        assertEquals(929, answers.size());
        assertEquals(answers, again);
    }

    @Test
    void appendsALabelOfTheTrainingSetAndItsProbabilityToEveryRow() {
        for (Row r : answers) {
            assertTrue(List.of("ham", "spam").contains(r.getString(1)), r.toString());
            assertTrue(r.getDouble(2) >= 0.5 && r.getDouble(2) <= 1, r.toString());
        }
    }

    @Test
    void rowsWithoutTokensGetNullAnswers() {
        StructType schema = new StructType().add("text", DataTypes.StringType);
        Dataset<Row> odd = spark.createDataFrame(List.of(RowFactory.create((Object) null), RowFactory.create("   "),
                RowFactory.create("free prize call now")), schema);
        List<Row> rows = classifier(fitted).transform(odd).collectAsList();
        assertAll(
                () -> assertTrue(rows.get(0).isNullAt(1) && rows.get(0).isNullAt(2), rows.get(0).toString()),
                () -> assertTrue(rows.get(1).isNullAt(1) && rows.get(1).isNullAt(2), rows.get(1).toString()),
                () -> assertTrue(List.of("ham", "spam").contains(rows.get(2).getString(1)), rows.get(2).toString()));
    }

    @Test
    void savedModelIsARunDirectoryThatPredictAndEvaluateLoad(@TempDir Path tmp) throws IOException {
        String saved = tmp.resolve("model").toString();
        classifier(fitted).write().save(saved);
        SavedRun run = SavedRun.read(saved, sc.hadoopConfiguration());
        PredictJob predict = new PredictJob(run, null);
        for (Row r : answers.subList(0, 20))
            assertEquals(r.getString(1), predict.predict(r.getString(0)).split("\t")[0], r.getString(0));
        // The run reads the columns the classifier was given, from any table that has them.
        String table = tmp.resolve("sms.parquet").toString();
        spark.read().option("sep", "\t").option("quote", "\u0000").csv(SLICE)
                .selectExpr("_c0 AS label", "_c1 AS text").write().parquet(table);
        Map<String, Object> evaluated = new EvaluateJob(run).run(sc, table, Split.TEST);
        assertEquals(((Number) classifier(fitted).metrics().heldOut().get("accuracy")).doubleValue(),
                ((Number) ((Map<?, ?>) evaluated.get("heldOut")).get("accuracy")).doubleValue(), 1e-12);
    }

    @Test
    void loadsARunDirectoryOfTheCliReadingTheColumnItsTableHad() {
        RecurClassificationModel model = RecurClassificationModel.load(classifier(fitted).runDirectory());
        assertEquals(answers, model.transform(fitted.stages()[0].transform(sms)).select("text", "prediction", "probability")
                .collectAsList());
    }

    @Test
    void transformSchemaRejectsAMissingTextColumnNamingItAndTheColumnsFound() {
        StructType schema = new StructType().add("label", DataTypes.StringType).add("message", DataTypes.StringType);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RecurClassifier().transformSchema(schema));
        assertEquals("textCol = \"text\": no such column; the columns: label string, message string", e.getMessage());
    }

    @Test
    void transformSchemaRejectsALabelColumnOfAnotherTypeNamingTheTypes() {
        StructType schema = new StructType().add("label", DataTypes.IntegerType).add("text", DataTypes.StringType);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RecurClassifier().transformSchema(schema));
        assertEquals("labelCol = \"label\": the column is int, expected string; the columns: label int, text string",
                e.getMessage());
    }

    @Test
    void transformSchemaRejectsATokensColumnThatIsAString() {
        StructType schema = new StructType().add("label", DataTypes.StringType).add("words", DataTypes.StringType);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RecurClassifier().setTokensCol("words").transformSchema(schema));
        assertTrue(e.getMessage().startsWith("tokensCol = \"words\": the column is string, expected array<string>"),
                e.getMessage());
    }

    @Test
    void transformSchemaRejectsAnOutputColumnThatExists() {
        StructType schema = new StructType().add("label", DataTypes.StringType).add("text", DataTypes.StringType)
                .add("prediction", DataTypes.DoubleType);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RecurClassifier().transformSchema(schema));
        assertTrue(e.getMessage().startsWith("predictionCol = \"prediction\": the output column exists already"),
                e.getMessage());
    }

    @Test
    void savedEstimatorKeepsItsSpecParameters(@TempDir Path tmp) throws IOException {
        RecurClassifier classifier = new RecurClassifier().setSpec("model.cell", "gru").setSpec("train.epochs", 3)
                .setSpec("model.learning-rate", 0.02).setTokensCol("words");
        String saved = tmp.resolve("estimator").toString();
        classifier.write().save(saved);
        RecurClassifier loaded = RecurClassifier.load(saved);
        assertAll(
                () -> assertEquals("gru", loaded.getSpec("model.cell")),
                () -> assertEquals(3, ((Number) loaded.getSpec("train.epochs")).intValue()),
                () -> assertEquals(0.02, ((Number) loaded.getSpec("model.learning-rate")).doubleValue()),
                () -> assertEquals(128, ((Number) loaded.getSpec("model.hidden-size")).intValue(), "a default"),
                () -> assertEquals(classifier.explainParams(), loaded.explainParams()));
        assertNotNull(loaded.getParam("tokensCol"));
    }
}
