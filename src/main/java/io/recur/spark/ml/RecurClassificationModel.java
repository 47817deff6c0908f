package io.recur.spark.ml;

import io.recur.config.TableSpec;
import io.recur.config.Task;
import io.recur.run.SavedRun;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.types.StructType;

import java.util.Map;

/** A fitted {@link RecurClassifier}: appends the most likely label ({@code predictionCol}) and its probability ({@code probabilityCol}). */
public final class RecurClassificationModel extends RecurModel<RecurClassificationModel> {
    private final ClassifierColumns columns;

    RecurClassificationModel(String uid, String runDirectory, SavedRun run) {
        super(uid, runDirectory, run, Task.CLASSIFY);
        columns = ClassifierColumns.declare(this::column);
    }

    public RecurClassificationModel setTextCol(String name) {
        set(columns.text(), name);
        return this;
    }

    public RecurClassificationModel setTokensCol(String name) {
        set(columns.tokens(), name);
        return this;
    }

    public RecurClassificationModel setPredictionCol(String name) {
        set(columns.prediction(), name);
        return this;
    }

    public RecurClassificationModel setProbabilityCol(String name) {
        set(columns.probability(), name);
        return this;
    }

    @Override
    String inputColumn() {
        return getOrDefault(columns.input(this));
    }

    @Override
    Map<String, String> outputColumns() {
        return columns.outputs(this);
    }

    @Override
    void readColumnsOfTheRun() {
        TableSpec table = run().spec().corpus().table();
        if (table.readyTokens()) setTokensCol(table.tokensColumn());
        else if (!table.textColumn().isEmpty()) setTextCol(table.textColumn());
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return columns.answered(this, schema);
    }

    @Override
    public RecurClassificationModel copy(ParamMap extra) {
        return copyValues(new RecurClassificationModel(uid(), runDirectory(), run()), extra).setParent(parent());
    }

    public static MLReader<RecurClassificationModel> read() {
        return new RunReader<>(RecurClassificationModel.class, "recurClassificationModel", RecurClassificationModel::new);
    }

    /** Loads a model {@link #write saved} at {@code path}, or a run directory of {@code recur train} with {@code job.task = classify}. */
    public static RecurClassificationModel load(String path) {
        return read().load(path);
    }
}
