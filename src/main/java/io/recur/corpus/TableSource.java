package io.recur.corpus;

import io.recur.config.CorpusSpec;
import io.recur.config.SourceFormat;
import io.recur.config.TableSpec;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.rdd.InputFileBlockHolder;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;

/**
 * A table read by one of Spark SQL's file readers ({@code parquet}, {@code orc}, {@code csv},
 * {@code json} lines) from {@code corpus.path}: files, or a table's directory with its
 * {@code key=value} partitions; or a metastore table by name ({@code corpus.table}, {@link MetastoreTable}). The columns {@code corpus.columns.*} name become the records'
 * fields; their presence and types are checked on the driver, as is {@code corpus.where}, which
 * Spark then prunes partitions and pushes into the reader with. The rows are turned into examples
 * where Spark reads them, one block per read task, so nothing but counts comes to the driver.
 *
 * <p>A row is named by its file and its 1-based row: for Parquet the row's index in the file
 * ({@code _metadata.row_index}); for the other readers its place among the rows the task read
 * from the file (after {@code corpus.where}), with the byte the task began at when that is not the
 * file's start; and by the {@code corpus.columns.id} value when there is one.
 */
final class TableSource implements CorpusSource {
    private static final DataType STRINGS = DataTypes.createArrayType(DataTypes.StringType);

    private final CorpusSpec corpus;
    private final TableSpec table;
    private final SourceFormat format;

    TableSource(CorpusSpec corpus) {
        this.corpus = corpus;
        this.table = corpus.table();
        this.format = corpus.source();
    }

    @Override
    public Read read(JavaSparkContext sc, RecordLayout layout) {
        SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        // Listed first: a missing path or table is named as such, before Spark tries to infer a schema.
        TableFiles files = files(spark);
        boolean tokens = table.readyTokens();
        JavaRDD<Block> blocks = selected(spark, true).toJavaRDD()
                .mapPartitions(new RowReader(layout, tokens, table, format.label()));
        return new Read(blocks, blocks.getNumPartitions(), files);
    }

    /**
     * Every row with the text (or the tokens joined by a space) and a key, for scoring: the label
     * and tags columns are not read, and a row without a text is kept with its problem.
     */
    JavaRDD<TableRow> rows(JavaSparkContext sc) {
        SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        files(spark);
        String bodyKey = table.readyTokens() ? "corpus.columns.tokens" : "corpus.columns.text";
        String bodyColumn = table.readyTokens() ? table.tokensColumn() : table.textColumn();
        boolean tokens = table.readyTokens();
        return selected(spark, false).toJavaRDD().mapPartitions(new TextReader(bodyKey, bodyColumn, tokens, format.label()));
    }

    /** A task's rows as {@link TableRow}s; the columns come in the order {@link #selected} selects them. */
    private record TextReader(String bodyKey, String bodyColumn, boolean tokens, String format)
            implements FlatMapFunction<Iterator<Row>, TableRow> {
        @Override
        public Iterator<TableRow> call(Iterator<Row> rows) {
            HashMap<String, Long> counted = new HashMap<>();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return more(rows, format);
                }

                @Override
                public TableRow next() {
                    if (!hasNext()) throw new NoSuchElementException("the task has read its rows");
                    Row row = rows.next();
                    String key = row.isNullAt(3) ? origin(row, counted).describe() : row.getString(3);
                    if (row.isNullAt(0)) return new TableRow(key, null, "column " + bodyColumn + " (" + bodyKey + ") is null");
                    if (!tokens) return new TableRow(key, row.getString(0), null);
                    List<String> words = row.getList(0);
                    if (words.contains(null))
                        return new TableRow(key, null, "column " + bodyColumn + " (" + bodyKey + ") holds a null token");
                    return new TableRow(key, String.join(" ", words), null);
                }
            };
        }
    }

    /** Lists the table's files: a missing path or table is named as such, before Spark tries to infer a schema. */
    private TableFiles files(SparkSession spark) {
        return format.metastore() ? MetastoreTable.files(corpus, spark)
                : TableFiles.of(corpus.paths(), table.where(), spark.sparkContext().hadoopConfiguration());
    }

    /** The 1-based row in its file, as {@link RowReader} and the class comment count it. */
    private static CorpusRecord.Origin origin(Row row, HashMap<String, Long> counted) {
        String file = row.getString(4);
        long from = row.getLong(6);
        long number = row.getLong(5) >= 0 ? row.getLong(5) + 1 : counted.merge(file + "@" + from, 1L, Long::sum);
        return new CorpusRecord.Origin(file, number, true, row.isNullAt(3) ? null : row.getString(3), from);
    }

    /**
     * The rows as {@link RowReader} reads them: body, label, tags, id, file, row index, block start;
     * without {@code fields} the label and tags are nulls and their columns are not looked up.
     */
    private Dataset<Row> selected(SparkSession spark, boolean fields) {
        Dataset<Row> rows = load(spark);
        StructType schema = rows.schema();
        boolean tokens = table.readyTokens();
        Column body = column(rows, schema, tokens ? "corpus.columns.tokens" : "corpus.columns.text",
                tokens ? table.tokensColumn() : table.textColumn(), tokens ? STRINGS : DataTypes.StringType);
        Column label = !fields || table.labelColumn().isEmpty() ? functions.lit(null).cast(DataTypes.StringType)
                : column(rows, schema, "corpus.columns.label", table.labelColumn(), DataTypes.StringType);
        Column tags = !fields || table.tagsColumn().isEmpty() ? functions.lit(null).cast(STRINGS)
                : column(rows, schema, "corpus.columns.tags", table.tagsColumn(), STRINGS);
        Column id = table.idColumn().isEmpty() ? functions.lit(null).cast(DataTypes.StringType)
                : column(rows, schema, "corpus.columns.id", table.idColumn(), null).cast(DataTypes.StringType);
        if (!table.where().isEmpty()) rows = filter(rows, schema);
        boolean rowIndex = format == SourceFormat.PARQUET;
        // A Hive table that Spark does not convert to its own file source (a text or SerDe table) has no _metadata.
        Column file = format.metastore() ? functions.input_file_name() : functions.col("_metadata.file_path");
        Column blockStart = format.metastore() ? functions.input_file_block_start() : functions.col("_metadata.file_block_start");
        return rows.select(body, label, tags, id, file,
                rowIndex ? functions.col("_metadata.row_index") : functions.lit(-1L),
                rowIndex ? functions.lit(0L) : blockStart);
    }

    @Override
    public String items() {
        return "rows";
    }

    private Dataset<Row> load(SparkSession spark) {
        if (format.metastore()) {
            try {
                return spark.table(table.name());
            } catch (Exception e) {
                throw new CorpusException("corpus.table = \"" + table.name() + "\": cannot read the table: " + firstLine(e));
            }
        }
        DataFrameReader reader = spark.read().format(format.label());
        if (format == SourceFormat.CSV) {
            TableSpec.Csv csv = table.csv();
            reader = reader.option("header", csv.header()).option("sep", csv.delimiter()).option("quote", csv.quote())
                    .option("escape", csv.escape()).option("multiLine", csv.multiLine());
        }
        try {
            return reader.load(corpus.paths().toArray(String[]::new));
        } catch (Exception e) {
            // Spark's AnalysisException (no schema to infer, not a Parquet file) is checked in Scala's eyes only.
            throw new CorpusException("corpus.path: cannot read " + String.join(", ", corpus.paths()) + " as "
                    + format.label() + " (corpus.source): " + firstLine(e) + "; check corpus.path and corpus.source");
        }
    }

    /** The column {@code key} names, checked to exist and, unless {@code type} is null, to be of that type. */
    private Column column(Dataset<Row> rows, StructType schema, String key, String name, DataType type) {
        StructField field = Arrays.stream(schema.fields()).filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new CorpusException(key + " = \"" + name + "\": the table has no such column; its columns: "
                        + columns(schema) + " (" + String.join(", ", corpus.inputs()) + ")"));
        if (type != null && !compatible(field.dataType(), type))
            throw new CorpusException(key + " = \"" + name + "\": column " + name + " is " + field.dataType().simpleString()
                    + ", expected " + type.simpleString() + "; the table's columns: " + columns(schema));
        return rows.col("`" + name.replace("`", "``") + "`");
    }

    /** An array column must hold strings; whether its elements may be null is the row's business. */
    private static boolean compatible(DataType found, DataType expected) {
        if (expected instanceof ArrayType e)
            return found instanceof ArrayType f && f.elementType().equals(e.elementType());
        return found.equals(expected);
    }

    private Dataset<Row> filter(Dataset<Row> rows, StructType schema) {
        String where = table.where();
        Column condition;
        try {
            condition = functions.expr(where);
        } catch (Exception e) {
            throw new CorpusException("corpus.where = \"" + where + "\": does not parse as a Spark SQL expression: "
                    + firstLine(e));
        }
        try {
            return rows.where(condition);
        } catch (Exception e) {
            throw new CorpusException("corpus.where = \"" + where + "\": " + firstLine(e) + "; the table's columns: "
                    + columns(schema));
        }
    }

    private static String columns(StructType schema) {
        return Arrays.stream(schema.fields()).map(f -> f.name() + " " + f.dataType().simpleString())
                .collect(Collectors.joining(", "));
    }

    static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage()).strip();
        int end = m.indexOf('\n');
        // Spark ends its messages with ';' or '.', which the ones built around them supply.
        return (end < 0 ? m : m.substring(0, end)).strip().replaceFirst("[;.\\s]+$", "");
    }

    /**
     * Whether a task has another row; a file it cannot read is the user's input (exit 2, naming the
     * file), a failing file system stays an I/O failure.
     */
    private static boolean more(Iterator<Row> rows, String format) {
        try {
            return rows.hasNext();
        } catch (Exception e) {
            // Scala code throws checked exceptions undeclared: Hadoop's ChecksumException, an IOException.
            if (fileSystemFailure(e)) throw e instanceof RuntimeException r ? r : new UncheckedIOException(
                    new IOException(InputFileBlockHolder.getInputFilePath() + ": cannot read: " + e.getMessage(), e));
            throw unreadable(e, format);
        }
    }

    /** An I/O failure other than bytes that do not check or end too soon: the file system's, not the file's. */
    private static boolean fileSystemFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause())
            if (t instanceof IOException && !(t instanceof ChecksumException) && !(t instanceof EOFException))
                return true;
        return false;
    }

    /**
     * A file the reader cannot decode (a truncated or corrupt Parquet file among good ones) is the
     * user's input, found only here: the driver read one file's footer for the schema.
     */
    private static CorpusException unreadable(Exception e, String format) {
        String file = InputFileBlockHolder.getInputFilePath().toString();
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return new CorpusException((file.isEmpty() ? "corpus.path" : file) + ": cannot read as " + format
                + " (corpus.source): " + firstLine(root instanceof Exception x ? x : e)
                + "; the file is corrupt, truncated or not " + format);
    }

    /** A task's rows as one block; the columns come in the order {@link #selected} selects them. */
    private static final class RowReader implements FlatMapFunction<Iterator<Row>, Block> {
        private final RecordLayout layout;
        private final boolean tokens;
        private final String bodyKey;
        private final String bodyColumn;
        private final String labelColumn;
        private final String tagsColumn;
        private final String format;

        RowReader(RecordLayout layout, boolean tokens, TableSpec table, String format) {
            this.format = format;
            this.layout = layout;
            this.tokens = tokens;
            this.bodyKey = tokens ? "corpus.columns.tokens" : "corpus.columns.text";
            this.bodyColumn = tokens ? table.tokensColumn() : table.textColumn();
            this.labelColumn = table.labelColumn();
            this.tagsColumn = table.tagsColumn();
        }

        @Override
        public Iterator<Block> call(Iterator<Row> rows) {
            HashMap<String, Long> counted = new HashMap<>();
            Iterator<ReadItem> items = new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return more(rows, format);
                }

                @Override
                public ReadItem next() {
                    if (!hasNext()) throw new NoSuchElementException("the task has read its rows");
                    Row row = rows.next();
                    return item(row, origin(row, counted));
                }
            };
            return List.of(Block.of(items)).iterator();
        }

        private ReadItem item(Row row, CorpusRecord.Origin origin) {
            if (row.isNullAt(0)) return bad(origin, "null " + (tokens ? "tokens" : "text"), bodyKey, bodyColumn, "is null");
            String label = null;
            if (!labelColumn.isEmpty()) {
                if (row.isNullAt(1)) return bad(origin, "null label", "corpus.columns.label", labelColumn, "is null");
                label = row.getString(1).strip();
                if (label.isEmpty()) return bad(origin, "empty label", "corpus.columns.label", labelColumn, "is empty");
            }
            List<String> tags = null;
            if (!tagsColumn.isEmpty()) {
                if (row.isNullAt(2)) return bad(origin, "null tags", "corpus.columns.tags", tagsColumn, "is null");
                tags = row.getList(2);
                if (tags.contains(null)) return bad(origin, "null tag", "corpus.columns.tags", tagsColumn, "holds a null tag");
            }
            if (!tokens) return layout.example(new CorpusRecord(row.getString(0), null, label, tags, origin));
            List<String> words = row.getList(0);
            if (words.contains(null)) return bad(origin, "null token", bodyKey, bodyColumn, "holds a null token");
            return layout.example(new CorpusRecord(null, new ArrayList<>(words), label, tags == null ? null : new ArrayList<>(tags), origin));
        }

        private static ReadItem bad(CorpusRecord.Origin origin, String kind, String key, String column, String problem) {
            return new ReadItem.Bad(origin, kind, "column " + column + " (" + key + ") " + problem);
        }
    }
}
