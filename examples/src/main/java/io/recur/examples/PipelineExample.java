package io.recur.examples;

import io.recur.job.SparkContexts;
import io.recur.spark.ml.RecurClassificationModel;
import io.recur.spark.ml.RecurClassifier;
import org.apache.spark.SparkConf;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.RegexTokenizer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.util.Locale;

import static org.apache.spark.sql.functions.col;

/**
 * A Spark application that uses recur as a library: Spark's RegexTokenizer and recur's
 * RecurClassifier in one Pipeline, fitted on 90% of the SMS Spam Collection, saved, loaded, and
 * evaluated on the other 10%.
 *
 * <p>Arguments: the corpus ({@code label<TAB>text} lines; default {@code data/sms-spam/sms-spam.tsv})
 * and a directory for the runs and the saved pipeline (default {@code runs/pipeline-example}).
 */
public final class PipelineExample {
    private PipelineExample() {}

    public static void main(String[] args) throws IOException {
        String corpus = args.length > 0 ? args[0] : "data/sms-spam/sms-spam.tsv";
        String out = args.length > 1 ? args[1] : "runs/pipeline-example";
        // recur's Kryo registrators and buffer size; spark-submit's --master wins over local[2].
        SparkSession spark = SparkSession.builder().appName("recur pipeline example")
                .config(SparkContexts.withRecurSettings(new SparkConf().setIfMissing("spark.master", "local[2]")))
                .getOrCreate();
        try {
            Dataset<Row> sms = spark.read().option("sep", "\t").option("quote", "\u0000").csv(corpus)
                    .toDF("label", "text");
            Dataset<Row>[] parts = sms.randomSplit(new double[]{0.9, 0.1}, 1);

            Pipeline pipeline = new Pipeline().setStages(new PipelineStage[]{
                    new RegexTokenizer().setInputCol("text").setOutputCol("words").setPattern("\\s+"),
                    new RecurClassifier().setTokensCol("words")
                            .setSpec("output.dir", out + "/runs")
                            .setSpec("model.cell", "lstm").setSpec("model.hidden-size", 32)
                            .setSpec("model.embedding-size", 32).setSpec("model.learning-rate", 0.01)
                            .setSpec("train.epochs", 2)
                            .setSpec("eval.strong-baseline", false)});
            PipelineModel model = pipeline.fit(parts[0]);
            model.write().overwrite().save(out + "/pipeline");

            PipelineModel loaded = PipelineModel.load(out + "/pipeline");
            Dataset<Row> predictions = loaded.transform(parts[1]).cache();
            long rows = predictions.count();
            long right = predictions.filter(col("prediction").equalTo(col("label"))).count();
            RecurClassificationModel classifier = (RecurClassificationModel) loaded.stages()[1];
            System.out.printf(Locale.ROOT, "run: %s%n", classifier.runDirectory());
            System.out.printf(Locale.ROOT, "held-out split of the 90%%: accuracy %.4f%n",
                    ((Number) classifier.metrics().heldOut().get("accuracy")).doubleValue());
            System.out.printf(Locale.ROOT, "the other 10%%: accuracy %.4f on %d rows%n", (double) right / rows, rows);
        } finally {
            spark.stop();
        }
    }
}
