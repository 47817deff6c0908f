package io.recur.baseline;

import io.recur.corpus.Example;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.Map;

/**
 * A non-neural predictor a run's network is measured against ({@code eval.strong-baseline}): fitted
 * on the training examples the network trained on, its settings chosen on the validation split,
 * scored on exactly the test examples and tokens the network is scored on. Each corpus task owns
 * its own ({@code io.recur.task.CorpusTask#strongBaseline}).
 */
public interface StrongBaseline {
    /**
     * The test metrics under the names of the network's ({@code io.recur.eval.HeldOutMetrics}),
     * plus {@code name} (what the predictor is) and {@code settings} (what validation chose, and
     * the validation score of every candidate).
     */
    Map<String, Object> fitAndScore(JavaSparkContext sc, JavaRDD<Example> train, JavaRDD<Example> validation,
                                    JavaRDD<Example> test);

}
