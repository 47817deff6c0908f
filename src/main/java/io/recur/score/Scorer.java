package io.recur.score;

import io.recur.job.PredictJob;
import io.recur.job.SavedRun;
import io.recur.task.CorpusTask;
import io.recur.task.Prediction;
import io.recur.vocab.LabelSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;

/**
 * Scores rows with one network, inside one Spark task: the answer {@link PredictJob} gives for the
 * same text, as a row of the task's {@link #schema}, or the reason the row cannot be scored.
 */
final class Scorer {
    /** The reason of a row without tokens: training never saw one, so the model has no answer for it. */
    static final String NO_TOKENS = "empty: no tokens";

    private final Prediction kind;
    private final PredictJob predict;
    private final LabelSet labels;
    private final int topK;

    Scorer(SavedRun run, int topK) {
        this.kind = CorpusTask.of(run.spec().task()).prediction();
        this.predict = new PredictJob(run, kind == Prediction.LABELS ? topK : null);
        this.labels = run.labels();
        this.topK = topK;
    }

    /** One row scored, or rejected with its reason. */
    record Scored(String key, Row prediction, String rejection) {}

    /**
     * The columns of the predictions: {@code key} and {@code text}, then per task: {@code label},
     * {@code probability} and {@code topK} (classify); {@code tokens} and {@code tags} (tag);
     * {@code predictions}, {@code truncated}, {@code crossEntropy} and {@code perplexity} (lm).
     */
    static StructType schema(Prediction kind) {
        List<StructField> fields = new ArrayList<>(List.of(
                DataTypes.createStructField("key", DataTypes.StringType, false),
                DataTypes.createStructField("text", DataTypes.StringType, false)));
        switch (kind) {
            case LABELS -> {
                fields.add(DataTypes.createStructField("label", DataTypes.StringType, false));
                fields.add(DataTypes.createStructField("probability", DataTypes.DoubleType, false));
                fields.add(DataTypes.createStructField("topK", DataTypes.createArrayType(DataTypes.createStructType(List.of(
                        DataTypes.createStructField("label", DataTypes.StringType, false),
                        DataTypes.createStructField("probability", DataTypes.DoubleType, false))), false), false));
            }
            case TAGS -> {
                fields.add(DataTypes.createStructField("tokens", DataTypes.createArrayType(DataTypes.StringType, false), false));
                fields.add(DataTypes.createStructField("tags", DataTypes.createArrayType(DataTypes.StringType, false), false));
            }
            case NEXT_TOKENS -> {
                fields.add(DataTypes.createStructField("predictions", DataTypes.IntegerType, false));
                fields.add(DataTypes.createStructField("truncated", DataTypes.BooleanType, false));
                fields.add(DataTypes.createStructField("crossEntropy", DataTypes.DoubleType, false));
                fields.add(DataTypes.createStructField("perplexity", DataTypes.DoubleType, false));
            }
        }
        return DataTypes.createStructType(fields);
    }

    /** The columns of the rejects: the row's {@code key} and the {@code reason} it was not scored. */
    static StructType rejectSchema() {
        return DataTypes.createStructType(List.of(
                DataTypes.createStructField("key", DataTypes.StringType, false),
                DataTypes.createStructField("reason", DataTypes.StringType, false)));
    }

    Scored score(ScoreRow row) {
        if (row.problem() != null) return new Scored(row.key(), null, row.problem());
        List<String> tokens = predict.tokens(row.text());
        if (tokens.isEmpty()) return new Scored(row.key(), null, NO_TOKENS);
        Row prediction = switch (kind) {
            case LABELS -> classified(row, tokens);
            case TAGS -> RowFactory.create(row.key(), row.text(), tokens.toArray(String[]::new),
                    predict.tags(tokens).toArray(String[]::new));
            case NEXT_TOKENS -> {
                PredictJob.LineLoss loss = predict.loss(tokens);
                yield RowFactory.create(row.key(), row.text(), loss.predictions(), loss.truncated(), loss.crossEntropy(),
                        loss.perplexity());
            }
        };
        return new Scored(row.key(), prediction, null);
    }

    private Row classified(ScoreRow row, List<String> tokens) {
        double[] p = predict.classProbabilities(tokens);
        List<Integer> ranked = PredictJob.ranked(p);
        Row[] top = new Row[Math.min(topK, ranked.size())];
        for (int i = 0; i < top.length; i++) top[i] = RowFactory.create(labels.label(ranked.get(i)), p[ranked.get(i)]);
        int best = ranked.get(0);
        return RowFactory.create(row.key(), row.text(), labels.label(best), p[best], top);
    }
}
