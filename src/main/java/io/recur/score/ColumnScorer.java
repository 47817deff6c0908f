package io.recur.score;

import io.recur.run.SavedRun;
import io.recur.task.CorpusTask;
import io.recur.task.Prediction;
import io.recur.task.TaskKind;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Scores one column of a DataFrame with a saved classifier or tagger on the executors and appends
 * the answers to each row: the model shipped and each partition scored as {@link ScoreJob} does
 * ({@link Scorer}, {@link ScoreJob#BATCH_ROWS} rows per network call), so a row gets the answer
 * {@code recur score} and {@code recur predict} give for its text.
 *
 * <p>The column holds a text ({@code string}, tokenized as the run's corpus was) or ready-made tokens
 * ({@code array<string>}, read as the run reads white-space separated tokens). A row the model cannot
 * answer (a null, no tokens, a token that is empty or holds white space) gets nulls in the appended columns.
 */
public final class ColumnScorer {
    private static final DataType TOKENS = DataTypes.createArrayType(DataTypes.StringType);
    private static final Pattern SPACE = Pattern.compile("\\s");

    private final SavedRun run;
    private final String runDir;
    private final Prediction kind;

    /**
     * @param runDir where the run was read from, for messages
     * @throws IllegalArgumentException if the run is not a classifier or a tagger
     */
    public ColumnScorer(SavedRun run, String runDir) {
        TaskKind task = TaskKind.of(run.spec().task());
        if (!(task instanceof CorpusTask c) || !answersColumns(c.prediction()))
            throw new IllegalArgumentException(runDir + ": job.task = " + run.spec().task().label()
                    + "; only a classifier or a tagger answers a column");
        this.run = run;
        this.runDir = runDir;
        this.kind = c.prediction();
    }

    /** Whether a run answers a column: a classifier with labels, a tagger with tags, not a language model. */
    private static boolean answersColumns(Prediction kind) {
        return kind != Prediction.NEXT_TOKENS;
    }

    /**
     * The appended columns, named in order: a classifier's label ({@code string}) and its probability
     * ({@code double}); a tagger's tags ({@code array<string>}, one per token).
     */
    public static List<StructField> fields(Prediction kind, List<String> names) {
        List<DataType> types = kind == Prediction.LABELS ? List.of(DataTypes.StringType, DataTypes.DoubleType) : List.of(TOKENS);
        if (names.size() != types.size())
            throw new IllegalArgumentException("a " + (kind == Prediction.LABELS ? "classifier appends 2" : "tagger appends 1")
                    + " columns, " + names.size() + " named: " + names);
        List<StructField> fields = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) fields.add(DataTypes.createStructField(names.get(i), types.get(i), true));
        return fields;
    }

    /** {@code input} with the answers for {@code column} appended as {@link #fields}; lazy, like any Dataset. */
    public Dataset<Row> transform(Dataset<Row> input, String column, List<String> names) {
        StructType schema = input.schema();
        int index = schema.fieldIndex(column);
        boolean tokens = schema.fields()[index].dataType() instanceof ArrayType;
        StructType out = schema;
        for (StructField f : fields(kind, names)) out = out.add(f);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(input.sparkSession().sparkContext());
        // Not destroyed: the Dataset is lazy and scores again each time it is computed.
        Broadcast<ShippedModel> model = sc.broadcast(ShippedModel.of(run, runDir));
        Prediction answer = kind;
        JavaRDD<Row> rows = input.toJavaRDD().mapPartitions(partition -> scored(partition, model.value(), index, tokens, answer));
        return input.sparkSession().createDataFrame(rows, out);
    }

    /** A partition's rows with their answers, scored lazily, {@link ScoreJob#BATCH_ROWS} at a time. */
    private static Iterator<Row> scored(Iterator<Row> partition, ShippedModel model, int index, boolean tokens, Prediction kind) {
        // One network per task: a network is not safe to share between the threads of an executor.
        Scorer scorer = new Scorer(model.restore(), ScoreJob.DEFAULT_TOP_K);
        ArrayDeque<Row> pending = new ArrayDeque<>();
        Iterator<ScoreRow> toScore = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return partition.hasNext();
            }

            @Override
            public ScoreRow next() {
                Row row = partition.next();
                pending.add(row);
                return scoreRow(row, index, tokens);
            }
        };
        Iterator<Scorer.Scored> scored = ScoreJob.map(toScore, scorer);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return scored.hasNext();
            }

            @Override
            public Row next() {
                // Scoring the next row first may pull a batch of rows, the one answered among them.
                Row prediction = scored.next().prediction();
                return appended(pending.poll(), prediction, kind);
            }
        };
    }

    private static ScoreRow scoreRow(Row row, int index, boolean tokens) {
        if (row.isNullAt(index)) return new ScoreRow("", null, "null");
        if (!tokens) return new ScoreRow("", row.getString(index), null);
        List<String> words = row.getList(index);
        for (String w : words)
            if (w == null || w.isEmpty() || SPACE.matcher(w).find())
                return new ScoreRow("", null, "a token is null, empty or holds white space");
        return new ScoreRow("", String.join(" ", words), null);
    }

    /** The row with the prediction's answer columns after its own; nulls for a row not scored. */
    private static Row appended(Row row, Row prediction, Prediction kind) {
        int n = row.length();
        Object[] values = new Object[n + (kind == Prediction.LABELS ? 2 : 1)];
        for (int i = 0; i < n; i++) values[i] = row.get(i);
        if (prediction != null) {
            // Scorer's columns: key, text, then label, probability (classify) or tokens, tags (tag).
            if (kind == Prediction.LABELS) {
                values[n] = prediction.get(2);
                values[n + 1] = prediction.get(3);
            } else {
                values[n] = prediction.get(3);
            }
        }
        return RowFactory.create(values);
    }
}
