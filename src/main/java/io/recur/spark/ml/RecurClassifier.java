package io.recur.spark.ml;

import io.recur.config.Task;
import io.recur.run.SavedRun;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.types.StructType;

import java.util.List;
import java.util.Map;

/**
 * A text classifier ({@code job.task = classify}): learns the label column from a text column
 * (a string, tokenized by {@code corpus.tokenizer}) or a tokens column ({@code array<string>},
 * e.g. from Spark's {@code RegexTokenizer}, used as it is), with the job spec's keys as parameters
 * ({@link #setSpec}). Its model appends the most likely label and its probability.
 */
public final class RecurClassifier extends RecurEstimator<RecurClassificationModel> implements DefaultParamsWritable {
    private final Param<String> labelCol;
    private final ClassifierColumns columns;

    public RecurClassifier() {
        this(Identifiable.randomUID("recurClassifier"));
    }

    public RecurClassifier(String uid) {
        super(uid, Task.CLASSIFY);
        labelCol = column("labelCol", "the label column (string): the class to learn", "label");
        columns = ClassifierColumns.declare(this::column);
    }

    public RecurClassifier setLabelCol(String name) {
        set(labelCol, name);
        return this;
    }

    public RecurClassifier setTextCol(String name) {
        set(columns.text(), name);
        return this;
    }

    public RecurClassifier setTokensCol(String name) {
        set(columns.tokens(), name);
        return this;
    }

    public RecurClassifier setPredictionCol(String name) {
        set(columns.prediction(), name);
        return this;
    }

    public RecurClassifier setProbabilityCol(String name) {
        set(columns.probability(), name);
        return this;
    }

    @Override
    public RecurClassifier setSpec(String key, Object value) {
        super.setSpec(key, value);
        return this;
    }

    @Override
    Map<String, Object> layout() {
        return Map.of("corpus.format", "labeled", "corpus.columns.label", getOrDefault(labelCol),
                columns.readsTokens(this) ? "corpus.columns.tokens" : "corpus.columns.text", getOrDefault(columns.input(this)));
    }

    @Override
    List<String> inputColumns() {
        return List.of(getOrDefault(labelCol), getOrDefault(columns.input(this)));
    }

    @Override
    RecurClassificationModel model(String uid, String runDirectory, SavedRun run) {
        return new RecurClassificationModel(uid, runDirectory, run);
    }

    /** Checks the label and the text (or tokens) column; the schema with the model's prediction and probability columns. */
    @Override
    StructType answered(StructType schema) {
        Columns.require(schema, labelCol.name(), getOrDefault(labelCol), Columns.STRING);
        return columns.answered(this, schema);
    }

    public static MLReader<RecurClassifier> read() {
        return new DefaultParamsReader<>();
    }

    public static RecurClassifier load(String path) {
        return read().load(path);
    }
}
