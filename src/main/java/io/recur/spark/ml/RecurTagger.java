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
 * A sequence tagger ({@code job.task = tag}): learns one tag per token from a tokens column and a
 * tags column (both {@code array<string>}, of the same length, else the row is malformed), with the
 * job spec's keys as parameters ({@link #setSpec}). Its model appends the most likely tag of each token.
 */
public final class RecurTagger extends RecurEstimator<RecurTaggingModel> implements DefaultParamsWritable {
    private final Param<String> tagsCol;
    private final TaggerColumns columns;

    public RecurTagger() {
        this(Identifiable.randomUID("recurTagger"));
    }

    public RecurTagger(String uid) {
        super(uid, Task.TAG);
        columns = TaggerColumns.declare(this::column);
        tagsCol = column("tagsCol", "the tags column (array<string>, one per token): the tags to learn", "tags");
    }

    public RecurTagger setTokensCol(String name) {
        set(columns.tokens(), name);
        return this;
    }

    public RecurTagger setTagsCol(String name) {
        set(tagsCol, name);
        return this;
    }

    public RecurTagger setPredictionCol(String name) {
        set(columns.prediction(), name);
        return this;
    }

    @Override
    public RecurTagger setSpec(String key, Object value) {
        super.setSpec(key, value);
        return this;
    }

    @Override
    Map<String, Object> layout() {
        return Map.of("corpus.format", "tagged", "corpus.columns.tokens", getOrDefault(columns.tokens()),
                "corpus.columns.tags", getOrDefault(tagsCol));
    }

    @Override
    List<String> inputColumns() {
        return List.of(getOrDefault(columns.tokens()), getOrDefault(tagsCol));
    }

    @Override
    RecurTaggingModel model(String uid, String runDirectory, SavedRun run) {
        return new RecurTaggingModel(uid, runDirectory, run);
    }

    /** Checks the tokens and tags columns; the schema with the model's prediction column. */
    @Override
    StructType answered(StructType schema) {
        Columns.require(schema, tagsCol.name(), getOrDefault(tagsCol), Columns.STRINGS);
        return columns.answered(this, schema);
    }

    public static MLReader<RecurTagger> read() {
        return new DefaultParamsReader<>();
    }

    public static RecurTagger load(String path) {
        return read().load(path);
    }
}
