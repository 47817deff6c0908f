package io.recur.corpus;

import io.recur.config.CorpusFormat;
import io.recur.config.CorpusSpec;
import io.recur.config.SourceFormat;
import io.recur.config.SplitSpec;
import io.recur.config.TableSpec;
import io.recur.config.TokenizerKind;
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
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("spark")
@DisplayName("TableSource: corpora read through Spark SQL's readers")
class TableSourceTest {
    private static final Path SMS = Path.of("src/test/resources/corpus/sms-spam-slice.tsv");
    private static final Path BROWN = Path.of("src/test/resources/corpus/brown-slice.txt");
    private static final SplitSpec SPLIT = new SplitSpec(0.6, 0.2, 0.2);
    private static final StructType LABELED = new StructType().add("id", DataTypes.LongType)
            .add("label", DataTypes.StringType).add("text", DataTypes.StringType);
    private static JavaSparkContext sc;
    private static SparkSession spark;

    @BeforeAll
    static void startSpark() {
        sc = LocalSpark.start(TableSourceTest.class);
        spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
    }

    @AfterAll
    static void stopSpark() {
        sc.stop();
    }

    private static CorpusSpec lines(Path file, CorpusFormat format) {
        return new CorpusSpec(List.of(file.toAbsolutePath().toString()), format, TokenizerKind.WHITESPACE, false, 1000, 0.5);
    }

    private static CorpusSpec table(SourceFormat source, Path path, CorpusFormat format, TableSpec columns) {
        return lines(path, format).withTable(source, columns);
    }

    private static TableSpec labeled(String where) {
        return new TableSpec("text", "", "label", "", "id", where, TableSpec.NONE.csv());
    }

    private static Corpus read(CorpusSpec spec) {
        return CorpusReader.read(sc, spec, SPLIT, CorpusReader.Use.FOR_SCORING);
    }

    /** What an example is, whatever its container: label, tokens, tags and split, in a stable order. */
    private static List<String> content(Corpus corpus) {
        return corpus.examples().collect().stream()
                .map(e -> e.split() + "|" + e.label() + "|" + e.tokens() + "|" + e.tags()).sorted().toList();
    }

    private static List<Row> smsRows() throws IOException {
        List<String> lines = Files.readAllLines(SMS, StandardCharsets.UTF_8);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            int tab = lines.get(i).indexOf('\t');
            rows.add(RowFactory.create((long) i + 1, lines.get(i).substring(0, tab), lines.get(i).substring(tab + 1)));
        }
        return rows;
    }

    private static Path write(Dataset<Row> rows, String format, Path dir) {
        Path out = dir.resolve("table." + format);
        rows.coalesce(1).write().format(format).save(out.toString());
        return out;
    }

    private static Path sms(String format, Path dir) throws IOException {
        return write(spark.createDataFrame(smsRows(), LABELED), format, dir);
    }

    @Test
    void parquetTableReadsTheExamplesOfTheTextFile(@TempDir Path dir) throws IOException {
        Corpus table = read(table(SourceFormat.PARQUET, sms("parquet", dir), CorpusFormat.LABELED, labeled("")));
        assertEquals(content(read(lines(SMS, CorpusFormat.LABELED))), content(table));
    }

    @Test
    void orcTableReadsTheExamplesOfTheTextFile(@TempDir Path dir) throws IOException {
        Corpus table = read(table(SourceFormat.ORC, sms("orc", dir), CorpusFormat.LABELED, labeled("")));
        assertEquals(content(read(lines(SMS, CorpusFormat.LABELED))), content(table));
    }

    @Test
    void jsonLinesReadTheExamplesOfTheTextFile(@TempDir Path dir) throws IOException {
        Corpus table = read(table(SourceFormat.JSON, sms("json", dir), CorpusFormat.LABELED, labeled("")));
        assertEquals(content(read(lines(SMS, CorpusFormat.LABELED))), content(table));
    }

    @Test
    void csvReaderTakesHeaderDelimiterQuotesAndMultiLineFields(@TempDir Path dir) throws IOException {
        Path csv = Files.writeString(dir.resolve("sms.csv"), "id;label;text\n"
                + "1;spam;'win; a \\'prize\\' now'\n"
                + "2;ham;'see you\nat noon'\n", StandardCharsets.UTF_8);
        TableSpec columns = new TableSpec("text", "", "label", "", "id", "", new TableSpec.Csv(true, ";", "'", "\\", true));
        List<Example> examples = read(table(SourceFormat.CSV, csv, CorpusFormat.LABELED, columns)).examples().collect();
        assertEquals(List.of("ham [see, you, at, noon]", "spam [win;, a, 'prize', now]"),
                examples.stream().map(e -> e.label() + " " + e.tokens()).sorted().toList());
    }

    @Test
    void tokensAndTagsColumnsReadTheExamplesOfTheTaggedFile(@TempDir Path dir) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(BROWN, StandardCharsets.UTF_8)) {
            List<String> words = new ArrayList<>();
            List<String> tags = new ArrayList<>();
            for (String pair : line.split(" ")) {
                words.add(pair.substring(0, pair.lastIndexOf('/')));
                tags.add(pair.substring(pair.lastIndexOf('/') + 1));
            }
            rows.add(RowFactory.create(words, tags));
        }
        StructType schema = new StructType().add("words", DataTypes.createArrayType(DataTypes.StringType))
                .add("pos", DataTypes.createArrayType(DataTypes.StringType));
        Path parquet = write(spark.createDataFrame(rows, schema), "parquet", dir);
        TableSpec columns = new TableSpec("", "words", "", "pos", "", "", TableSpec.NONE.csv());
        assertEquals(content(read(lines(BROWN, CorpusFormat.TAGGED))),
                content(read(table(SourceFormat.PARQUET, parquet, CorpusFormat.TAGGED, columns))));
    }

    @Test
    void whereReadsOnlyTheRowsOfMatchingPartitions(@TempDir Path dir) throws IOException {
        Path table = dir.resolve("by-day");
        spark.createDataFrame(smsRows(), LABELED)
                .withColumn("dt", org.apache.spark.sql.functions.expr("IF(id % 2 = 0, '2026-11-02', '2026-11-01')"))
                .write().partitionBy("dt").parquet(table.toString());
        Corpus corpus = read(table(SourceFormat.PARQUET, table, CorpusFormat.LABELED, labeled("dt >= '2026-11-02'")));
        List<Row> even = smsRows().stream().filter(r -> r.getLong(0) % 2 == 0).toList();
        assertEquals(even.size(), corpus.stats().examples());
        assertTrue(corpus.examples().collect().stream().allMatch(e -> e.source().contains("dt=2026-11-02")),
                "every example comes from the matching partition");
    }

    @Test
    void nullLabelIsAMalformedRowNamedByFileRowAndId(@TempDir Path dir) throws IOException {
        List<Row> rows = new ArrayList<>(smsRows());
        rows.set(4, RowFactory.create(5L, null, "no label here"));
        Path parquet = write(spark.createDataFrame(rows, LABELED), "parquet", dir);
        CorpusStats stats = read(table(SourceFormat.PARQUET, parquet, CorpusFormat.LABELED, labeled(""))).stats();
        assertEquals(1, stats.skippedBad());
        assertEquals(1L, stats.badReasons().get("null label"));
        String reported = stats.badExamples().get(0);
        assertTrue(reported.matches(".*part-[^ ]*\\.parquet row 5 \\(id 5\\): column label \\(corpus\\.columns\\.label\\) is null"),
                reported);
    }

    @Test
    void tagsOfAnotherLengthThanTheTokensAreAMalformedRow(@TempDir Path dir) {
        StructType schema = new StructType().add("words", DataTypes.createArrayType(DataTypes.StringType))
                .add("pos", DataTypes.createArrayType(DataTypes.StringType));
        Path parquet = write(spark.createDataFrame(List.of(RowFactory.create(List.of("the", "dog"), List.of("at", "nn")),
                RowFactory.create(List.of("a", "cat"), List.of("at"))), schema), "parquet", dir);
        CorpusStats stats = read(table(SourceFormat.PARQUET, parquet, CorpusFormat.TAGGED,
                new TableSpec("", "words", "", "pos", "", "", TableSpec.NONE.csv()))).stats();
        assertEquals(1L, stats.badReasons().get("tags not one per token"), stats.badReasons().toString());
        assertTrue(stats.badExamples().get(0).contains(" row 2: 1 tags for 2 tokens"), stats.badExamples().toString());
    }

    @Test
    void emptyTokensAreAMalformedRow(@TempDir Path dir) {
        StructType schema = new StructType().add("words", DataTypes.createArrayType(DataTypes.StringType));
        Path parquet = write(spark.createDataFrame(List.of(RowFactory.create(List.of("some", "words")),
                RowFactory.create(List.of())), schema), "parquet", dir);
        CorpusStats stats = read(table(SourceFormat.PARQUET, parquet, CorpusFormat.TEXT,
                new TableSpec("", "words", "", "", "", "", TableSpec.NONE.csv()))).stats();
        assertEquals(1, stats.examples());
        assertEquals(1L, stats.badReasons().get("no tokens"), stats.badReasons().toString());
    }

    @Test
    void malformedRowsAboveMaxBadFractionFailNamingThem(@TempDir Path dir) throws IOException {
        List<Row> rows = smsRows().stream().map(r -> r.getLong(0) % 3 == 0 ? RowFactory.create(r.get(0), null, r.get(2)) : r)
                .toList();
        Path parquet = write(spark.createDataFrame(rows, LABELED), "parquet", dir);
        CorpusSpec spec = table(SourceFormat.PARQUET, parquet, CorpusFormat.LABELED, labeled(""));
        CorpusException e = assertThrows(CorpusException.class, () -> CorpusReader.read(sc,
                new CorpusSpec(spec.paths(), spec.format(), spec.tokenizer(), false, 1000, 0.1).withTable(spec.source(), spec.table()),
                SPLIT, CorpusReader.Use.FOR_SCORING));
        assertTrue(e.getMessage().contains("rows are malformed") && e.getMessage().contains("corpus.max-bad-fraction")
                && e.getMessage().contains(" row 3 (id 3): column label"), e.getMessage());
    }

    @Test
    void missingColumnNamesTheKeyTheColumnAndTheColumnsFound(@TempDir Path dir) throws IOException {
        Path parquet = sms("parquet", dir);
        CorpusException e = assertThrows(CorpusException.class, () -> read(table(SourceFormat.PARQUET, parquet,
                CorpusFormat.LABELED, new TableSpec("body", "", "label", "", "", "", TableSpec.NONE.csv()))));
        assertEquals("corpus.columns.text = \"body\": the table has no such column; its columns: id bigint, label string,"
                + " text string (" + parquet.toAbsolutePath() + ")", e.getMessage());
    }

    @Test
    void columnOfTheWrongTypeNamesTheTypeFoundAndExpected(@TempDir Path dir) throws IOException {
        Path parquet = sms("parquet", dir);
        CorpusException e = assertThrows(CorpusException.class, () -> read(table(SourceFormat.PARQUET, parquet,
                CorpusFormat.LABELED, new TableSpec("text", "", "id", "", "", "", TableSpec.NONE.csv()))));
        assertTrue(e.getMessage().startsWith("corpus.columns.label = \"id\": column id is bigint, expected string;"),
                e.getMessage());
    }

    @Test
    void filterThatDoesNotParseNamesCorpusWhere(@TempDir Path dir) throws IOException {
        Path parquet = sms("parquet", dir);
        CorpusException e = assertThrows(CorpusException.class, () -> read(table(SourceFormat.PARQUET, parquet,
                CorpusFormat.LABELED, labeled("id >= ("))));
        assertTrue(e.getMessage().startsWith("corpus.where = \"id >= (\": does not parse as a Spark SQL expression"),
                e.getMessage());
    }

    @Test
    void filterOnAnUnknownColumnNamesCorpusWhereAndTheColumns(@TempDir Path dir) throws IOException {
        Path parquet = sms("parquet", dir);
        CorpusException e = assertThrows(CorpusException.class, () -> read(table(SourceFormat.PARQUET, parquet,
                CorpusFormat.LABELED, labeled("day = 3"))));
        assertTrue(e.getMessage().startsWith("corpus.where = \"day = 3\": ") && e.getMessage().contains("day")
                && e.getMessage().endsWith("the table's columns: id bigint, label string, text string"), e.getMessage());
    }

    @Test
    void fileThatIsNotOfTheSourcesFormatNamesCorpusPathAndCorpusSource() {
        CorpusException e = assertThrows(CorpusException.class, () -> read(table(SourceFormat.PARQUET, SMS,
                CorpusFormat.LABELED, labeled(""))));
        assertTrue(e.getMessage().startsWith("corpus.path: cannot read " + SMS.toAbsolutePath() + " as parquet (corpus.source): "),
                e.getMessage());
    }

    @Test
    void corruptFileAmongGoodOnesIsNamedByTheTaskThatReadsIt(@TempDir Path dir) throws IOException {
        Path table = dir.resolve("two-files");
        spark.createDataFrame(smsRows(), LABELED).repartition(2).write().parquet(table.toString());
        Path broken;
        try (var parts = Files.list(table)) {
            broken = parts.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList().get(1);
        }
        byte[] bytes = Files.readAllBytes(broken);
        Files.write(broken, Arrays.copyOf(bytes, bytes.length / 2));
        CorpusException e = assertThrows(CorpusException.class, () -> read(table(SourceFormat.PARQUET, table,
                CorpusFormat.LABELED, labeled(""))));
        assertTrue(e.getMessage().contains(broken.getFileName() + ": cannot read as parquet (corpus.source): "), e.getMessage());
    }

    @Test
    void missingPathIsNamedBeforeSparkReadsAnything(@TempDir Path dir) {
        CorpusException e = assertThrows(CorpusException.class, () -> read(table(SourceFormat.PARQUET,
                dir.resolve("no-such-table"), CorpusFormat.LABELED, labeled(""))));
        assertTrue(e.getMessage().startsWith("corpus.path: no such file or directory: "), e.getMessage());
    }

    @Test
    void fingerprintIsTheTablesListingAndFilter(@TempDir Path dir) throws IOException {
        Path parquet = sms("parquet", dir);
        CorpusStats stats = read(table(SourceFormat.PARQUET, parquet, CorpusFormat.LABELED, labeled(""))).stats();
        TableFiles listed = TableFiles.of(List.of(parquet.toAbsolutePath().toString()), "", sc.hadoopConfiguration());
        assertEquals(listed.digest(), stats.fingerprint());
        assertEquals(listed.files().size(), stats.files());
        assertTrue(Arrays.asList(1, 2).contains(stats.files()), "a part file, maybe with its _SUCCESS skipped: " + stats.files());
    }
}
