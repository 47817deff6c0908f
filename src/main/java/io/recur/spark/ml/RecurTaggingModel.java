package io.recur.spark.ml;

import io.recur.config.Task;
import io.recur.run.SavedRun;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.types.StructType;

import java.util.Map;

/** A fitted {@link RecurTagger}: appends the most likely tag of each token ({@code predictionCol}). */
public final class RecurTaggingModel extends RecurModel<RecurTaggingModel> {
    private final TaggerColumns columns;

    RecurTaggingModel(String uid, String runDirectory, SavedRun run) {
        super(uid, runDirectory, run, Task.TAG);
        columns = TaggerColumns.declare(this::column);
    }

    public RecurTaggingModel setTokensCol(String name) {
        set(columns.tokens(), name);
        return this;
    }

    public RecurTaggingModel setPredictionCol(String name) {
        set(columns.prediction(), name);
        return this;
    }

    @Override
    String inputColumn() {
        return getOrDefault(columns.tokens());
    }

    @Override
    Map<String, String> outputColumns() {
        return columns.outputs(this);
    }

    @Override
    void readColumnsOfTheRun() {
        String tokens = run().spec().corpus().table().tokensColumn();
        if (!tokens.isEmpty()) setTokensCol(tokens);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return columns.answered(this, schema);
    }

    @Override
    public RecurTaggingModel copy(ParamMap extra) {
        return copyValues(new RecurTaggingModel(uid(), runDirectory(), run()), extra).setParent(parent());
    }

    public static MLReader<RecurTaggingModel> read() {
        return new RunReader<>(RecurTaggingModel.class, "recurTaggingModel", RecurTaggingModel::new);
    }

    /** Loads a model {@link #write saved} at {@code path}, or a run directory of {@code recur train} with {@code job.task = tag}. */
    public static RecurTaggingModel load(String path) {
        return read().load(path);
    }
}
