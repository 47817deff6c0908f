package io.recur.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.recur.config.JobSpec;
import io.recur.config.JobSpecLoader;
import io.recur.config.UserInputException;
import io.recur.run.SavedRun;
import io.recur.corpus.Corpus;
import io.recur.corpus.CorpusReader;
import io.recur.corpus.MetastoreTable;
import io.recur.corpus.TableFiles;
import io.recur.storage.Json;
import io.recur.testing.LocalHive;
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

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jobs on tables of a real Hive metastore (embedded Derby in a temporary directory): the SMS slice
 * as a Parquet table partitioned by date, trained and retrained by name.
 */
@Tag("spark")
@DisplayName("Jobs on a metastore table (corpus.source = table), local[2] with Hive")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetastoreTableJobTest {
    private static final Path SLICE = Path.of("src/test/resources/corpus/sms-spam-slice.tsv");
    /** The slice's lines go round-robin into these partitions; the last one is added later. */
    private static final List<String> DAYS = List.of("2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04");

    private Path work;
    private SparkSession spark;
    private JavaSparkContext sc;
    private RetrainJob.RetrainResult first, unchanged, grown;
    private TableFiles beforeNewPartition;

    @BeforeAll
    void createTablesAndRetrainAcrossANewPartition(@TempDir Path dir) throws IOException {
        work = dir;
        spark = LocalHive.start(MetastoreTableJobTest.class, dir);
        sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        spark.sql("CREATE DATABASE corpora");
        spark.sql("CREATE TABLE corpora.sms (label STRING, message STRING, line BIGINT) PARTITIONED BY (dt STRING)"
                + " STORED AS PARQUET");
        for (int day = 0; day < 3; day++) insertDay("corpora.sms", day);

        first = retrain();
        unchanged = retrain();
        beforeNewPartition = MetastoreTable.files(spec().corpus(), spark);
        insertDay("corpora.sms", 3);
        grown = retrain();
    }

    @AfterAll
    void stopSpark() {
        spark.stop();
        System.clearProperty("derby.system.home");
    }

    /** The slice's lines whose number modulo 4 is {@code day}, as the partition {@code dt = DAYS[day]}. */
    private void insertDay(String table, int day) throws IOException {
        List<String> lines = Files.readAllLines(SLICE, StandardCharsets.UTF_8);
        List<Row> rows = new ArrayList<>();
        for (int i = day; i < lines.size(); i += DAYS.size()) {
            String line = lines.get(i);
            int tab = line.indexOf('\t');
            rows.add(RowFactory.create(line.substring(0, tab), line.substring(tab + 1), (long) i + 1));
        }
        StructType schema = new StructType().add("label", DataTypes.StringType).add("message", DataTypes.StringType)
                .add("line", DataTypes.LongType);
        spark.createDataFrame(rows, schema).coalesce(1).createOrReplaceTempView("day");
        spark.sql("INSERT INTO " + table + " PARTITION (dt = '" + DAYS.get(day) + "') SELECT label, message, line FROM day");
    }

    private JobSpec spec(String... overrides) {
        List<String> all = new ArrayList<>(List.of("corpus.source=table", "corpus.table=corpora.sms",
                "corpus.columns.label=label", "corpus.columns.text=message", "corpus.columns.id=line",
                "registry.dir=\"" + work.resolve("registry") + "\""));
        all.addAll(List.of(overrides));
        return JobSpecLoader.load(Path.of("src/test/resources/jobs/sms-retrain.conf"), all);
    }

    private RetrainJob.RetrainResult retrain() {
        return new RetrainJob(spec(), new PrintStream(new ByteArrayOutputStream()), false).run(sc);
    }

    private JsonNode championMetrics(RetrainJob.RetrainResult result) throws IOException {
        return Json.tree(work.resolve("registry/sms-retrain/" + result.result().get("version") + "/metrics.json").toFile());
    }

    @Test
    void aJobTrainsFromTheTableAndBeatsTheMajorityBaseline() throws IOException {
        assertEquals(RetrainJob.Status.PROMOTED, first.status(), first.line());
        JsonNode metrics = championMetrics(first);
        assertTrue(metrics.at("/heldOut/accuracy").asDouble() > metrics.at("/baseline/accuracy").asDouble(), metrics.toString());
    }

    @Test
    void theTablesThreePartitionsAreTheExamplesTrainedOn() throws IOException {
        JsonNode splits = championMetrics(first).at("/corpus/splits");
        long examples = 0;
        for (JsonNode n : splits) examples += n.get("read").asLong();
        List<String> lines = Files.readAllLines(SLICE, StandardCharsets.UTF_8);
        long inThreeDays = java.util.stream.IntStream.range(0, lines.size()).filter(i -> i % DAYS.size() < 3).count();
        assertEquals(inThreeDays, examples, splits.toString());
    }

    @Test
    void retrainOnTheSameTableIsUnchanged() {
        assertEquals(RetrainJob.Status.UNCHANGED, unchanged.status(), unchanged.line());
    }

    @Test
    void retrainSeesANewPartitionAsAChange() {
        assertNotEquals(RetrainJob.Status.UNCHANGED, grown.status(), grown.line());
        assertTrue(grown.status() == RetrainJob.Status.PROMOTED || grown.status() == RetrainJob.Status.REJECTED, grown.line());
    }

    @Test
    void aNewPartitionChangesTheTablesFingerprint() {
        TableFiles now = MetastoreTable.files(spec().corpus(), spark);
        assertNotEquals(beforeNewPartition.digest(), now.digest());
        assertTrue(now.files().stream().anyMatch(f -> f.path().contains("dt=" + DAYS.get(3))), now.toString());
    }

    @Test
    void aChangedFilterChangesTheTablesFingerprint() {
        assertNotEquals(MetastoreTable.files(spec().corpus(), spark).digest(),
                MetastoreTable.files(spec("corpus.where=\"dt >= '2026-11-02'\"").corpus(), spark).digest());
    }

    @Test
    void theMetastoreClientWithoutSparkListsWhatTheSessionLists() {
        // What retrain does before it starts Spark: ask the metastore from the job's Spark settings alone.
        JobSpec spec = spec();
        assertEquals(MetastoreTable.files(spec.corpus(), spark).digest(),
                MetastoreTable.files(spec.corpus(), LocalHive.conf(MetastoreTableJobTest.class, work)).digest());
    }

    @Test
    void corpusWhereReadsOnlyTheMatchingPartitionsAndPrunesTheOthers() throws IOException {
        spark.sql("CREATE TABLE corpora.pruned (label STRING, message STRING, line BIGINT) PARTITIONED BY (dt STRING)"
                + " STORED AS PARQUET");
        insertDay("corpora.pruned", 0);
        insertDay("corpora.pruned", 1);
        // Not Parquet: reading this partition would fail the job, so passing shows it was never opened.
        Path excluded = work.resolve("warehouse/corpora.db/pruned/dt=" + DAYS.get(0));
        Files.writeString(excluded.resolve("not-parquet.parquet"), "this is not a parquet file\n");
        JobSpec spec = spec("corpus.table=corpora.pruned", "corpus.where=\"dt = '" + DAYS.get(1) + "'\"");
        Corpus corpus = CorpusReader.read(sc, spec.corpus(), spec.split(), CorpusReader.Use.FOR_SCORING);
        long dayOne = java.util.stream.IntStream.range(0, Files.readAllLines(SLICE, StandardCharsets.UTF_8).size())
                .filter(i -> i % DAYS.size() == 1).count();
        assertEquals(dayOne, corpus.examples().count());
    }

    @Test
    void scoreReadsTheTableByNameWithTheRunsColumnsAndKeysRowsByTheirId() throws IOException {
        // The champion was trained on corpora.sms: its input is a table name, its columns the run's.
        String runDir = work.resolve("registry/sms-retrain/" + first.result().get("version")).toString();
        SavedRun run = SavedRun.read(runDir, sc.hadoopConfiguration());
        io.recur.score.ScoreReport report = new io.recur.score.ScoreJob(run, runDir, null).run(sc,
                io.recur.score.ScoreSource.of("corpora.sms", JobSpecLoader.scoringInput(run.spec(), List.of())),
                work.resolve("scored").toString(), io.recur.score.OutputFormat.PARQUET, false);
        List<String> keys = spark.read().parquet(work.resolve("scored").toString()).select("key").as(
                org.apache.spark.sql.Encoders.STRING()).collectAsList().stream().sorted().toList();
        List<String> lines = java.util.stream.LongStream.rangeClosed(1, Files.readAllLines(SLICE, StandardCharsets.UTF_8).size())
                .mapToObj(String::valueOf).sorted().toList();
        assertEquals(lines.size(), report.rows(), report.toString());
        assertEquals(lines, keys);
    }

    @Test
    void anUnknownTableIsBadInputNamingTheKeyAndTheTable() {
        JobSpec spec = spec("corpus.table=corpora.missing");
        UserInputException e = assertThrows(UserInputException.class,
                () -> CorpusReader.read(sc, spec.corpus(), spec.split(), CorpusReader.Use.FOR_SCORING));
        assertTrue(e.getMessage().startsWith("corpus.table = \"corpora.missing\": the metastore has no table corpora.missing"),
                e.getMessage());
    }
}
