package io.recur.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.recur.config.JobSpec;
import io.recur.corpus.Split;
import io.recur.run.RunDirectory;
import io.recur.run.SavedRun;
import io.recur.testing.LocalSpark;
import org.apache.spark.api.java.JavaSparkContext;
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
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SMS slice as a table trains the same model as the text file: same examples in the same
 * order, same split, same vocabulary, so the held-out metrics are equal, not merely close.
 */
@Tag("spark")
@DisplayName("TrainJob on a table of the SMS slice")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TableTrainJobTest {
    private static final Path SLICE = Path.of("src/test/resources/corpus/sms-spam-slice.tsv");
    private JavaSparkContext sc;
    private JsonNode fromText;
    private Path table;
    private TrainJob.TrainResult fromParquet;

    @BeforeAll
    void trainOnTheTextFileAndOnItsParquetTable(@TempDir Path output) throws IOException {
        sc = LocalSpark.start(TableTrainJobTest.class);
        fromText = TrainJobTest.metrics(train(TrainJobTest.spec("sms-slice.conf", output.resolve("text"))));
        table = parquet(output);
        fromParquet = train(TrainJobTest.spec("sms-slice.conf", output.resolve("parquet"),
                "corpus.source=parquet", "corpus.path=\"" + table + "\"", "corpus.columns.label=label",
                "corpus.columns.text=message", "corpus.columns.id=line"));
    }

    @AfterAll
    void stopSpark() {
        sc.stop();
    }

    private TrainJob.TrainResult train(JobSpec spec) {
        RunDirectory dir = RunDirectory.create(spec.output().dir(), spec.name(), sc.hadoopConfiguration());
        return new TrainJob(spec, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), false).run(TrainRequest.in(sc, dir));
    }

    /** The slice's lines as rows (label, text, id = line number), in one Parquet file in line order. */
    private Path parquet(Path dir) throws IOException {
        List<String> lines = Files.readAllLines(SLICE, StandardCharsets.UTF_8);
        List<Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int tab = line.indexOf('\t');
            rows.add(RowFactory.create(line.substring(0, tab), line.substring(tab + 1), (long) i + 1));
        }
        StructType schema = new StructType().add("label", DataTypes.StringType).add("message", DataTypes.StringType)
                .add("line", DataTypes.LongType);
        Path table = dir.resolve("sms.parquet");
        SparkSession.builder().sparkContext(sc.sc()).getOrCreate().createDataFrame(rows, schema).coalesce(1)
                .write().parquet(table.toString());
        return table;
    }

    private static void assertSameRun(JsonNode expected, JsonNode actual) {
        assertEquals(expected.at("/corpus/splits"), actual.at("/corpus/splits"), "examples per split");
        assertEquals(expected.at("/vocabSize"), actual.at("/vocabSize"), "vocabulary size");
        assertEquals(expected.at("/heldOut"), actual.at("/heldOut"), "held-out metrics");
        assertEquals(expected.at("/baseline"), actual.at("/baseline"), "baseline metrics");
    }

    @Test
    void parquetTableGivesTheTextFilesHeldOutMetricsExactly() throws IOException {
        assertTrue(fromText.at("/heldOut/accuracy").isNumber(), fromText.toString());
        assertSameRun(fromText, TrainJobTest.metrics(fromParquet));
    }

    @Test
    void savedTableRunEvaluatedOnItsTableReproducesItsHeldOutMetrics() throws IOException {
        SavedRun run = SavedRun.read(fromParquet.runDirectory(), sc.hadoopConfiguration());
        Map<String, Object> evaluated = new EvaluateJob(run).run(sc, table.toString(), Split.TEST);
        @SuppressWarnings("unchecked")
        Map<String, Object> heldOut = (Map<String, Object>) evaluated.get("heldOut");
        JsonNode metrics = TrainJobTest.metrics(fromParquet);
        assertEquals(metrics.at("/heldOut/accuracy").asDouble(), ((Number) heldOut.get("accuracy")).doubleValue(), 1e-12);
        assertEquals(metrics.at("/heldOut/examples").asLong(), ((Number) heldOut.get("examples")).longValue());
    }

    @Test
    void tabSeparatedFileReadAsCsvGivesTheTextFilesHeldOutMetricsExactly(@TempDir Path dir) throws IOException {
        // What jobs/sms-spam-table.conf does with the full corpus: the TSV as a headerless CSV table, quoting off.
        JsonNode fromCsv = TrainJobTest.metrics(train(TrainJobTest.spec("sms-slice.conf", dir.resolve("runs"),
                "corpus.source=csv", "corpus.path=\"" + SLICE.toAbsolutePath() + "\"", "corpus.csv.header=false",
                "corpus.csv.delimiter=\"\\t\"", "corpus.csv.quote=\"\\u0000\"", "corpus.columns.label=_c0",
                "corpus.columns.text=_c1")));
        assertSameRun(fromText, fromCsv);
    }
}
