package io.recur.job;

import io.recur.config.JobSpec;
import io.recur.config.UserInputException;
import io.recur.corpus.Corpus;
import io.recur.corpus.CorpusStats;
import io.recur.corpus.Example;
import io.recur.corpus.Split;
import io.recur.corpus.StableSplit;
import io.recur.corpus.TokenCount;
import io.recur.corpus.TokenCounter;
import io.recur.encode.BatchShape;
import io.recur.encode.SequenceEncoder;
import io.recur.eval.Baselines;
import io.recur.eval.EvalTally;
import io.recur.eval.HeldOutEvaluator;
import io.recur.eval.HeldOutMetrics;
import io.recur.eval.MostFrequentTag;
import io.recur.eval.TagEvaluator;
import io.recur.model.NetworkShape;
import io.recur.task.CorpusTask;
import io.recur.task.Labels;
import io.recur.vocab.LabelSet;
import io.recur.vocab.Vocabulary;
import io.recur.vocab.WordShape;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Training data read from a corpus: the vocabulary and labels come from the training split unless
 * given (a warm start keeps those of the earlier model), and the examples are encoded into
 * minibatches (classify, lm, tag).
 */
final class CorpusData implements TrainingData {
    private final JobSpec spec;
    private final CorpusTask task;
    private final Corpus corpus;
    /** The training examples trained on: the training split, or its hash-chosen share (split.train-subset). */
    private final JavaRDD<Example> train;
    /** The counts of {@link #train}. */
    private final CorpusStats.SplitStats trainedOn;
    private final Vocabulary vocab;
    private final List<TokenCount> labelCounts;
    private final LabelSet labels;
    private final SequenceEncoder encoder;
    private final Batches batches;
    private final BatchShape validationShape;
    private final BatchShape testShape;
    private Map<String, Object> strongBaseline;

    /**
     * @param corpus      read with the job's corpus and split specs
     * @param givenVocab  the token ids to encode with; null counts them on the training split
     * @param givenLabels the classes or tags, a superset of the training split's; null takes the
     *                    training split's (ignored by lm)
     */
    CorpusData(JavaSparkContext sc, JobSpec spec, Corpus corpus, Vocabulary givenVocab, LabelSet givenLabels,
               int partitions, PrintStream console) {
        this.spec = spec;
        this.corpus = corpus;
        CorpusTask task = CorpusTask.of(spec.task());
        this.task = task;
        double subset = spec.split().trainSubset();
        JavaRDD<Example> train = subset < 1
                ? corpus.split(Split.TRAIN).filter(e -> StableSplit.inTrainSubset(e, subset))
                : corpus.split(Split.TRAIN);
        this.train = train;
        trainedOn = subset < 1 ? CorpusStats.SplitStats.of(train) : corpus.stats().split(Split.TRAIN);
        if (trainedOn.read() == 0)
            throw new UserInputException("split.train-subset = " + subset + ": none of the "
                    + corpus.stats().split(Split.TRAIN).read() + " training examples is in the subset; raise it");

        vocab = givenVocab != null ? givenVocab : vocabulary(train);
        labelCounts = task.labels().count(train);
        labels = task.labels() == Labels.NONE ? null : givenLabels != null ? givenLabels : task.labels().of(labelCounts);
        SequenceEncoder encoder = task.encoder(vocab, labels, spec.model().embeddingSize() == 0);
        // A local, not the field: Spark closures that read a field would serialize this whole object.
        this.encoder = encoder;
        var stats = corpus.stats();
        long truncated = stats.splits().values().stream().mapToLong(CorpusStats.SplitStats::truncated).sum();
        console.printf("corpus: %d files, %d examples%s (train %s, validation %d, test %d), %d skipped%s; "
                        + "vocabulary %d ids%s%n", stats.files(), stats.examples(),
                stats.joinedLines() == 0 ? "" : " joined from " + (stats.examples() + stats.joinedLines()) + " lines",
                subset < 1 ? trainedOn.read() + " of " + stats.split(Split.TRAIN).read() + " in the train-subset " + subset
                        : Long.toString(trainedOn.read()),
                stats.split(Split.VALIDATION).read(), stats.split(Split.TEST).read(),
                stats.skippedBad() + stats.skippedEmpty(),
                truncated == 0 ? "" : String.format(Locale.ROOT, ", %d truncated (%.0f%%) to corpus.max-sequence-length %d",
                        truncated, 100.0 * truncated / stats.examples(), spec.corpus().maxSequenceLength()),
                vocab.size(),
                labels == null ? "" : task.labels() == Labels.TAGS ? "; " + labels.size() + " tags" : "; labels " + labels.labels());

        StorageLevel level = StorageLevel.fromString(spec.train().storageLevel());
        Broadcast<SequenceEncoder> shipped = sc.broadcast(encoder);
        batches = new Batches(
                Minibatches.balanced(train, shipped, spec.train().batchSize(), spec.train().lengthBucketing(),
                        partitions, spec.seed()).persist(level),
                heldOutBatches(Split.VALIDATION, shipped).persist(level),
                heldOutBatches(Split.TEST, shipped).persist(level));
        // Held-out examples the encoder cannot take are the split's examples missing from its batches.
        validationShape = Minibatches.shape(batches.validation());
        testShape = Minibatches.shape(batches.test());
        if (testShape.examples() == 0 || validationShape.examples() == 0)
            throw new UserInputException("corpus.path: no validation or test example has a label seen in training; "
                    + "the corpus is too small or its labels too rare for the split fractions");
    }

    @Override
    public Batches batches() {
        return batches;
    }

    @Override
    public NetworkShape shape() {
        return new NetworkShape(task.head(), vocab.size(), task.outputSize(vocab, labels));
    }

    @Override
    public HeldOutEvaluator evaluator() {
        return new HeldOutEvaluator(task.scoring(), labels == null ? 0 : labels.size());
    }

    @Override
    public Vocabulary vocab() {
        return vocab;
    }

    @Override
    public LabelSet labels() {
        return labels;
    }

    @Override
    public Scores score(JavaSparkContext sc, MultiLayerNetwork best) {
        Map<String, Object> heldOut;
        Map<String, Object> baselineMetrics;
        if (task.labels() == Labels.TAGS) {
            TagEvaluator.Result scored = new TagEvaluator(encoder, labels, spec.train().batchSize())
                    .evaluate(sc, best, corpus.split(Split.TEST), MostFrequentTag.fit(train));
            heldOut = HeldOutMetrics.ofTagging(scored.model(), labels.labels(), true);
            baselineMetrics = HeldOutMetrics.ofTagging(scored.baseline(), labels.labels(), false);
            baselineMetrics.put("name", "most frequent tag per word");
        } else {
            long testSteps = testShape.realSteps();
            EvalTally test = evaluator().evaluate(sc, best, batches.test());
            boolean classes = task.labels() == Labels.CLASSES;
            EvalTally baseline = classes
                    ? Baselines.majorityClass(countsInLabelOrder(labels, labelCounts), test)
                    : Baselines.unigram(sc, Baselines.targetCounts(batches.train(), vocab.size()), vocab.size() - 2, batches.test());
            List<String> labelNames = labels == null ? List.of() : labels.labels();
            heldOut = HeldOutMetrics.of(task.scoring(), test, labelNames, testSteps);
            heldOut.put("unknownLabels", unknown(Split.TEST, testShape));
            baselineMetrics = HeldOutMetrics.of(task.scoring(), baseline, labelNames, testSteps);
            baselineMetrics.put("name", classes ? "majority class" : "add-one unigram");
        }
        return new Scores(heldOut, baselineMetrics, strongBaseline(sc));
    }

    /**
     * Fitted once per prepared data: it does not depend on the network, and a bake-off scores
     * every member on the same data. Its seconds are part of the metrics, so its cost is seen.
     */
    private Map<String, Object> strongBaseline(JavaSparkContext sc) {
        if (strongBaseline == null && spec.eval().strongBaseline()) {
            long start = System.nanoTime();
            strongBaseline = task.strongBaseline(task.tokenizer(spec.corpus()), vocab, labels)
                    .fitAndScore(sc, train, corpus.split(Split.VALIDATION), corpus.split(Split.TEST));
            strongBaseline.put("seconds", (System.nanoTime() - start) / 1e9);
        }
        return strongBaseline;
    }

    @Override
    public long unknownValidationLabels() {
        return unknown(Split.VALIDATION, validationShape);
    }

    private long unknown(Split split, BatchShape batched) {
        return corpus.stats().split(split).read() - batched.examples();
    }

    /** The minibatches and the cached corpus they were encoded from. */
    @Override
    public void unpersist() {
        TrainingData.super.unpersist();
        corpus.unpersist();
    }

    @Override
    public Map.Entry<String, Map<String, Object>> description() {
        Map<String, Object> m = new java.util.LinkedHashMap<>(corpus.stats().toMap(trainedOn));
        if (spec.split().trainSubset() < 1) {
            m.put("trainSubset", spec.split().trainSubset());
            m.put("trainSplitExamples", corpus.stats().split(Split.TRAIN).read());
        }
        return Map.entry("corpus", m);
    }

    @Override
    public String fingerprint() {
        return corpus.stats().fingerprint();
    }

    @Override
    public long examples() {
        return corpus.stats().examples();
    }

    @Override
    public JavaRDD<Example> testExamples() {
        return corpus.split(Split.TEST);
    }

    private JavaRDD<DataSet> heldOutBatches(Split split, Broadcast<SequenceEncoder> shipped) {
        // Held-out batches are always length-bucketed: the order does not matter for evaluation.
        return Minibatches.batch(corpus.split(split).filter(e -> shipped.value().canEncode(e)), shipped,
                spec.train().batchSize(), true, spec.seed());
    }

    private Vocabulary vocabulary(JavaRDD<Example> train) {
        List<TokenCount> top = TokenCounter.topTokens(train, spec.vocab().minCount(), spec.vocab().maxSize());
        List<String> tokens = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        for (TokenCount t : top) {
            tokens.add(t.token());
            counts.add(t.count());
        }
        if (!spec.vocab().unknownWordClasses()) return Vocabulary.of(tokens, counts);
        for (TokenCount c : TokenCounter.rareTokenKeys(train, spec.vocab().minCount(), WordShape::features)) {
            tokens.add(Vocabulary.unknownClass(c.token()));
            counts.add(c.count());
        }
        return Vocabulary.of(tokens, counts, true);
    }

    private static long[] countsInLabelOrder(LabelSet labels, List<TokenCount> counts) {
        long[] out = new long[labels.size()];
        for (TokenCount c : counts) out[labels.id(c.token())] = c.count();
        return out;
    }
}
