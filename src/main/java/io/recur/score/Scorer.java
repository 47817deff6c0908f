package io.recur.score;

import io.recur.job.PredictJob;
import io.recur.run.SavedRun;
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

    /**
     * The rows scored in order, those with tokens in one network call: a call per row leaves the
     * cores waiting on per-call overhead (0.49 of {@code predict}'s per-core rate, docs/scoring.md).
     */
    List<Scored> score(List<ScoreRow> rows) {
        Scored[] scored = new Scored[rows.size()];
        List<Integer> positions = new ArrayList<>(rows.size());
        List<List<String>> lines = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            ScoreRow row = rows.get(i);
            if (row.problem() != null) {
                scored[i] = new Scored(row.key(), null, row.problem());
                continue;
            }
            List<String> tokens = predict.tokens(row.text());
            if (tokens.isEmpty()) {
                scored[i] = new Scored(row.key(), null, NO_TOKENS);
                continue;
            }
            positions.add(i);
            lines.add(tokens);
        }
        if (!lines.isEmpty()) {
            List<Row> predictions = switch (kind) {
                case LABELS -> classified(positions, rows, predict.classProbabilities(lines));
                case TAGS -> tagged(positions, rows, lines, predict.tags(lines));
                case NEXT_TOKENS -> scoredLines(positions, rows, predict.loss(lines));
            };
            for (int j = 0; j < positions.size(); j++) {
                ScoreRow row = rows.get(positions.get(j));
                scored[positions.get(j)] = new Scored(row.key(), predictions.get(j), null);
            }
        }
        return List.of(scored);
    }

    private static List<Row> tagged(List<Integer> positions, List<ScoreRow> rows, List<List<String>> lines,
                                    List<List<String>> tags) {
        List<Row> out = new ArrayList<>(positions.size());
        for (int j = 0; j < positions.size(); j++) {
            ScoreRow row = rows.get(positions.get(j));
            out.add(RowFactory.create(row.key(), row.text(), lines.get(j).toArray(String[]::new),
                    tags.get(j).toArray(String[]::new)));
        }
        return out;
    }

    private static List<Row> scoredLines(List<Integer> positions, List<ScoreRow> rows, List<PredictJob.LineLoss> losses) {
        List<Row> out = new ArrayList<>(positions.size());
        for (int j = 0; j < positions.size(); j++) {
            ScoreRow row = rows.get(positions.get(j));
            PredictJob.LineLoss loss = losses.get(j);
            out.add(RowFactory.create(row.key(), row.text(), loss.predictions(), loss.truncated(), loss.crossEntropy(),
                    loss.perplexity()));
        }
        return out;
    }

    private List<Row> classified(List<Integer> positions, List<ScoreRow> rows, List<double[]> probabilities) {
        List<Row> out = new ArrayList<>(positions.size());
        for (int j = 0; j < positions.size(); j++) out.add(classified(rows.get(positions.get(j)), probabilities.get(j)));
        return out;
    }

    private Row classified(ScoreRow row, double[] p) {
        List<Integer> ranked = PredictJob.ranked(p);
        Row[] top = new Row[Math.min(topK, ranked.size())];
        for (int i = 0; i < top.length; i++) top[i] = RowFactory.create(labels.label(ranked.get(i)), p[ranked.get(i)]);
        int best = ranked.get(0);
        return RowFactory.create(row.key(), row.text(), labels.label(best), p[best], top);
    }
}
