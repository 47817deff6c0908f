package io.recur.data;

import io.recur.corpus.Example;
import io.recur.eval.HeldOutEvaluator;
import io.recur.model.NetworkShape;
import io.recur.vocab.LabelSet;
import io.recur.vocab.Vocabulary;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

import java.util.Map;

/**
 * Where a training job's minibatches come from: a corpus read and encoded ({@link CorpusData}) or
 * examples generated from the seed ({@link SyntheticData}). It also knows what the network reads
 * and predicts, and how the trained network and the task's baseline are scored on the test split;
 * {@code io.recur.job.TrainJob} does the rest (training, metrics, publishing) the same way for every source.
 * The three batch RDDs are persisted until {@link #unpersist}.
 */
public interface TrainingData {
    Batches batches();

    /** Training minibatches, balanced over the training partitions. */
    default JavaRDD<DataSet> train() {
        return batches().train();
    }

    default JavaRDD<DataSet> validation() {
        return batches().validation();
    }

    default JavaRDD<DataSet> test() {
        return batches().test();
    }

    NetworkShape shape();

    HeldOutEvaluator evaluator();

    /** Saved with the model; a synthetic task has only the reserved ids. */
    Vocabulary vocab();

    /** Classes or tags; null when the outputs are not labels. */
    LabelSet labels();

    /** The held-out metrics of {@code best} and of the baseline, as {@code metrics.json} writes them. */
    Scores score(JavaSparkContext sc, MultiLayerNetwork best);

    /** Validation examples that could not be scored (labels training never saw). */
    long unknownValidationLabels();

    /** The {@code metrics.json} key describing the data ({@code corpus} or {@code synthetic}) and its value. */
    Map.Entry<String, Map<String, Object>> description();

    /** Identifies the data for provenance: the corpus bytes, or the generator and its seed. */
    String fingerprint();

    long examples();

    /** Test examples as text, where language-model prompts come from; empty for a synthetic task. */
    JavaRDD<Example> testExamples();

    default void unpersist() {
        train().unpersist();
        validation().unpersist();
        test().unpersist();
    }

    /** The persisted minibatches of the three splits. */
    record Batches(JavaRDD<DataSet> train, JavaRDD<DataSet> validation, JavaRDD<DataSet> test) {}

    /**
     * The model's and the baseline's held-out metrics, and the strong baseline's
     * ({@code io.recur.baseline}; null when {@code eval.strong-baseline} is off or the task has none).
     */
    record Scores(Map<String, Object> heldOut, Map<String, Object> baseline, Map<String, Object> strongBaseline) {}
}
