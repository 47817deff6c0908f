package io.recur.data;

import io.recur.config.JobSpec;
import io.recur.config.SyntheticSpec;
import io.recur.corpus.Example;
import io.recur.corpus.Split;
import io.recur.eval.EvalTally;
import io.recur.eval.HeldOutEvaluator;
import io.recur.eval.HeldOutMetrics;
import io.recur.model.NetworkShape;
import io.recur.synthetic.SyntheticTask;
import io.recur.task.GeneratedTask;
import io.recur.vocab.LabelSet;
import io.recur.vocab.Vocabulary;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Training data generated from the job seed (a {@link GeneratedTask}): each split is
 * spread over the training partitions, and every executor generates its own partitions from
 * (seed, split, example number), so the driver only ships partition numbers and the examples do
 * not depend on the number of workers.
 */
final class SyntheticData implements TrainingData {
    private final JobSpec spec;
    private final GeneratedTask kind;
    private final SyntheticTask task;
    private final Batches batches;

    private SyntheticData(JobSpec spec, GeneratedTask kind, SyntheticTask task, Batches batches) {
        this.spec = spec;
        this.kind = kind;
        this.task = task;
        this.batches = batches;
    }

    /** Generates and persists the three splits over {@code partitions} and says so on {@code console}. */
    static SyntheticData generate(JavaSparkContext sc, JobSpec spec, int partitions, PrintStream console) {
        SyntheticSpec s = spec.synthetic();
        GeneratedTask kind = GeneratedTask.of(spec.task());
        SyntheticTask task = kind.generator(s.steps());
        StorageLevel level = StorageLevel.fromString(spec.train().storageLevel());
        Batches batches = new Batches(
                split(sc, spec, task, Split.TRAIN, s.trainExamples(), partitions).persist(level),
                split(sc, spec, task, Split.VALIDATION, s.validationExamples(), partitions).persist(level),
                split(sc, spec, task, Split.TEST, s.testExamples(), partitions).persist(level));
        console.printf(Locale.ROOT, "synthetic %s: T = %d (%d steps per sequence), seed %d; train %d, validation %d,"
                        + " test %d examples%n", kind.label(), s.steps(), task.sequenceLength(), spec.seed(),
                s.trainExamples(), s.validationExamples(), s.testExamples());
        return new SyntheticData(spec, kind, task, batches);
    }

    /** The minibatches of one split, generated where they are stored. */
    static JavaRDD<DataSet> split(JavaSparkContext sc, JobSpec spec, SyntheticTask task, Split split, int examples,
                                  int partitions) {
        long seed = spec.seed();
        int batchSize = spec.train().batchSize();
        List<Integer> indices = IntStream.range(0, partitions).boxed().toList();
        return sc.parallelize(indices, partitions).flatMap(
                index -> task.partition(seed, split, examples, partitions, index, batchSize).iterator());
    }

    @Override
    public Batches batches() {
        return batches;
    }

    @Override
    public NetworkShape shape() {
        return new NetworkShape(kind.head(), task.inputSize(), task.outputSize());
    }

    @Override
    public HeldOutEvaluator evaluator() {
        return new HeldOutEvaluator(kind.scoring(), 0);
    }

    @Override
    public Vocabulary vocab() {
        return Vocabulary.of(List.of(), List.of());
    }

    @Override
    public LabelSet labels() {
        return null;
    }

    @Override
    public Scores score(JavaSparkContext sc, MultiLayerNetwork best) {
        long testSteps = Minibatches.shape(batches.test()).realSteps();
        EvalTally test = evaluator().evaluate(sc, best, batches.test());
        GeneratedTask.Baseline fitted = kind.baseline(spec.synthetic().steps(), batches.train(), batches.test());
        Map<String, Object> baseline = HeldOutMetrics.of(kind.scoring(), fitted.tally(), List.of(), testSteps);
        baseline.put("name", fitted.name());
        return new Scores(HeldOutMetrics.of(kind.scoring(), test, List.of(), testSteps), baseline, null);
    }

    @Override
    public long unknownValidationLabels() {
        return 0;
    }

    @Override
    public Map.Entry<String, Map<String, Object>> description() {
        SyntheticSpec s = spec.synthetic();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("task", kind.label());
        m.put("steps", s.steps());
        m.put("sequenceLength", task.sequenceLength());
        m.put("examples", Map.of("train", s.trainExamples(), "validation", s.validationExamples(),
                "test", s.testExamples()));
        m.put("seed", spec.seed());
        return Map.entry("synthetic", m);
    }

    @Override
    public String fingerprint() {
        SyntheticSpec s = spec.synthetic();
        return "synthetic:" + kind.label() + ":steps=" + s.steps() + ":seed=" + spec.seed() + ":examples="
                + s.trainExamples() + "/" + s.validationExamples() + "/" + s.testExamples();
    }

    @Override
    public long examples() {
        SyntheticSpec s = spec.synthetic();
        return (long) s.trainExamples() + s.validationExamples() + s.testExamples();
    }

    @Override
    public JavaRDD<Example> testExamples() {
        return JavaSparkContext.fromSparkContext(batches.train().context()).emptyRDD();
    }
}
