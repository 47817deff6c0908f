package io.recur.baseline;

import io.recur.corpus.Example;
import io.recur.eval.EvalTally;
import io.recur.eval.HeldOutMetrics;
import io.recur.eval.Scoring;
import io.recur.vocab.LabelSet;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.feature.HashingTF;
import org.apache.spark.ml.feature.IDF;
import org.apache.spark.ml.feature.NGram;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The classification baseline: MLlib logistic regression on TF-IDF of hashed n-grams, of words
 * (1-2-grams) or of characters (1-4-grams), with the feature set the one of the
 * best validation accuracy (ties: the first candidate). It reads the network's tokens after
 * tokenization, lower-casing and truncation, so it sees what the network sees; words are the
 * tokens (a {@code char} tokenizer's text split on white space) and characters those of the
 * tokens joined by spaces. Only examples whose label is one of the network's are fitted and
 * scored, as the network's test scoring skips the others.
 */
public final class TfIdfLogisticRegression implements StrongBaseline {
    /**
     * The most hashed features of a feature set. Each L-BFGS iteration ships and sums a dense
     * gradient of this size times the classes, so it is the cost lever; 2^17 holds the ~100k
     * distinct n-grams of SMS Spam's training split with few collisions.
     */
    static final int MAX_FEATURES = 1 << 17;
    /**
     * One L2 strength: on local Spark each L-BFGS iteration is a few jobs, so every candidate
     * costs as much as the whole fit, and the feature set moves validation accuracy far more.
     */
    static final double[] REG_PARAMS = {1e-3};
    /** Enough for L-BFGS to settle the validation accuracy on these sparse, IDF-weighted features. */
    static final int MAX_ITERATIONS = 30;
    private final LabelSet labels;
    private final boolean charTokens;

    /** @param charTokens the tokens are characters ({@code corpus.tokenizer = char}), so words are split on white space */
    public TfIdfLogisticRegression(LabelSet labels, boolean charTokens) {
        this.labels = labels;
        this.charTokens = charTokens;
    }

    /** A feature set: which token column (and its place among the summed positions), and the n-gram orders taken from it. */
    private record Features(String name, String column, int index, int maxOrder) {}

    private static final List<Features> FEATURE_SETS = List.of(
            new Features("word 1-2-grams", "words", 0, 2),
            new Features("character 1-4-grams", "chars", 1, 4));

    /**
     * A small corpus has few distinct n-grams, at most one per n-gram of the training split, so
     * it needs few hashed features: twice its n-grams (rounded up to a power of two) keeps
     * collisions rare, and the fit cheap.
     */
    static int features(long ngrams) {
        long wanted = Math.max(1024, 2 * ngrams);
        return (int) Math.min(MAX_FEATURES, Long.highestOneBit(wanted - 1) << 1);
    }

    @Override
    public Map<String, Object> fitAndScore(JavaSparkContext sc, JavaRDD<Example> train, JavaRDD<Example> validation,
                                           JavaRDD<Example> test) {
        SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        Dataset<Row> trainRows = rows(spark, train).cache();
        Dataset<Row> validationRows = rows(spark, validation);
        Dataset<Row> testRows = rows(spark, test);
        LogisticRegressionModel best = null;
        PipelineModel bestFeatures = null;
        String bestName = null;
        double bestRegParam = 0, bestAccuracy = -1;
        Map<String, Object> candidates = new LinkedHashMap<>();
        Row positions = trainRows.selectExpr("sum(size(words))", "sum(size(chars))").first();
        Map<String, Integer> hashedFeatures = new LinkedHashMap<>();
        for (Features f : FEATURE_SETS) {
            int size = features(f.maxOrder() * (positions.isNullAt(f.index()) ? 0 : positions.getLong(f.index())));
            hashedFeatures.put(f.name(), size);
            // The n-grams and IDF are fitted once per feature set and cached: only the
            // regression differs between its candidates.
            PipelineModel features = features(f, size).fit(trainRows);
            // Few partitions: each L-BFGS iteration is a job with a task per partition.
            Dataset<Row> trainFeatures = features.transform(trainRows).select("label", "features")
                    .coalesce(sc.defaultParallelism()).cache();
            Dataset<Row> validationFeatures = features.transform(validationRows).select("label", "features").cache();
            try {
                for (double regParam : REG_PARAMS) {
                    LogisticRegressionModel model = regression(regParam).fit(trainFeatures);
                    double accuracy = tally(model.transform(validationFeatures)).accuracy();
                    candidates.put(f.name() + ", regParam " + regParam, accuracy);
                    if (accuracy > bestAccuracy) {
                        best = model;
                        bestFeatures = features;
                        bestName = f.name();
                        bestRegParam = regParam;
                        bestAccuracy = accuracy;
                    }
                }
            } finally {
                trainFeatures.unpersist();
                validationFeatures.unpersist();
            }
        }
        trainRows.unpersist();
        EvalTally tally = tally(best.transform(bestFeatures.transform(testRows)));
        LabelSet known = labels;
        long tokens = test.filter(e -> known.id(e.label()) >= 0).map(e -> (long) e.tokens().size())
                .fold(0L, Long::sum);
        Map<String, Object> m = HeldOutMetrics.of(Scoring.CLASS_PER_SEQUENCE, tally, labels.labels(), tokens);
        m.put("name", "logistic regression on TF-IDF of " + bestName);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("features", bestName);
        settings.put("hashedFeatures", hashedFeatures.get(bestName));
        settings.put("regParam", bestRegParam);
        settings.put("maxIterations", MAX_ITERATIONS);
        settings.put("validationAccuracy", candidates);
        m.put("settings", settings);
        return m;
    }

    /**
     * The n-grams of every order in one bag ({@code NGram}, then concatenated), hashed into one
     * TF vector and IDF-weighted: one vector per feature set rather than one per order keeps the
     * regression's dimension, and so its cost, down.
     */
    private static Pipeline features(Features f, int features) {
        List<PipelineStage> stages = new ArrayList<>();
        List<String> grams = new ArrayList<>();
        for (int n = 1; n <= f.maxOrder(); n++) {
            grams.add(f.column() + "_" + n);
            stages.add(new NGram().setN(n).setInputCol(f.column()).setOutputCol(grams.get(n - 1)));
        }
        stages.add(new SQLTransformer().setStatement(
                "SELECT *, concat(" + String.join(", ", grams) + ") AS grams FROM __THIS__"));
        stages.add(new HashingTF().setNumFeatures(features).setInputCol("grams").setOutputCol("tf"));
        stages.add(new IDF().setInputCol("tf").setOutputCol("features"));
        return new Pipeline().setStages(stages.toArray(PipelineStage[]::new));
    }

    /**
     * Not standardized: IDF already weighs the features, and scaling rare n-grams up would let
     * them dominate, as it does not in the usual TF-IDF classifier.
     */
    private static LogisticRegression regression(double regParam) {
        return new LogisticRegression().setRegParam(regParam).setElasticNetParam(0).setMaxIter(MAX_ITERATIONS)
                .setStandardization(false).setFeaturesCol("features").setLabelCol("label");
    }

    /** The examples with a known label: its id, the word tokens and the characters. */
    private Dataset<Row> rows(SparkSession spark, JavaRDD<Example> examples) {
        LabelSet l = labels;
        boolean chars = charTokens;
        StructType schema = new StructType()
                .add("label", DataTypes.DoubleType)
                .add("words", DataTypes.createArrayType(DataTypes.StringType))
                .add("chars", DataTypes.createArrayType(DataTypes.StringType));
        JavaRDD<Row> rows = examples.filter(e -> l.id(e.label()) >= 0).map(e -> {
            String text = String.join(chars ? "" : " ", e.tokens());
            List<String> words = chars ? Arrays.stream(text.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList()
                    : e.tokens();
            List<String> characters = text.codePoints().mapToObj(Character::toString).toList();
            return RowFactory.create((double) l.id(e.label()), words.toArray(String[]::new),
                    characters.toArray(String[]::new));
        });
        return spark.createDataFrame(rows, schema);
    }

    /** The predictions' confusion matrix and cross-entropy, added up on the executors. */
    private EvalTally tally(Dataset<Row> predictions) {
        int classes = labels.size();
        return predictions.select("label", "prediction", "probability").javaRDD().mapPartitions(it -> {
            EvalTally t = new EvalTally(classes);
            while (it.hasNext()) {
                Row r = it.next();
                int actual = (int) r.getDouble(0);
                Vector p = r.getAs(2);
                // A class the training split lacks (labels kept from a warm-start parent) has no column.
                t.addClassified(actual, (int) r.getDouble(1), actual < p.size() ? p.apply(actual) : 0);
            }
            return List.of(t).iterator();
        }).reduce(EvalTally::merge);
    }
}
