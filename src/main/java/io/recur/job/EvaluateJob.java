package io.recur.job;

import io.recur.config.EnumNames;
import io.recur.config.JobSpec;
import io.recur.config.UserInputException;
import io.recur.corpus.Corpus;
import io.recur.corpus.CorpusReader;
import io.recur.corpus.Example;
import io.recur.corpus.Split;
import io.recur.corpus.StableSplit;
import io.recur.corpus.TokenCount;
import io.recur.corpus.TokenCounter;
import io.recur.data.Minibatches;
import io.recur.encode.BatchShape;
import io.recur.encode.SequenceEncoder;
import io.recur.eval.Baselines;
import io.recur.eval.EvalTally;
import io.recur.eval.HeldOutEvaluator;
import io.recur.eval.HeldOutMetrics;
import io.recur.eval.MostFrequentTag;
import io.recur.eval.TagEvaluator;
import io.recur.run.SavedRun;
import io.recur.task.CorpusTask;
import io.recur.task.Labels;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.dataset.DataSet;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Held-out metrics of a saved run on any corpus in the run's format, with the same trivial
 * baseline as the training report (fitted on the training split of the run's own corpus, read
 * again from its spec). With the run's own corpus and {@code split = TEST} it reproduces the
 * {@code heldOut} and {@code baseline} blocks of the run's {@code metrics.json}.
 */
public final class EvaluateJob {
    /** Labels named in a message at most: a corpus in the wrong format can have thousands. */
    private static final int LABELS_SHOWN = 10;
    private final SavedRun run;
    private final PrintStream warnings;

    public EvaluateJob(SavedRun run) {
        this(run, System.err);
    }

    /** @param warnings where examples that are counted but not scored are reported */
    public EvaluateJob(SavedRun run, PrintStream warnings) {
        if (run.spec().task().synthetic())
            throw new UserInputException("--model: run " + run.provenance().jobName() + "/" + run.provenance().runId()
                    + " was trained on the generated job.task = " + run.spec().task().label()
                    + ", which has no text to evaluate; its held-out scores are in the run's metrics.json");
        this.run = run;
        this.warnings = warnings;
    }

    /** @param split one split only, or null for every example of the input */
    public Map<String, Object> run(JavaSparkContext sc, String input, Split split) {
        return run(sc, List.of(input), split);
    }

    /**
     * @param inputs files, directories or globs read as one corpus; for a run trained on a metastore table, a table's name
     * @param split  one split only, or null for every example of the inputs
     */
    public Map<String, Object> run(JavaSparkContext sc, List<String> inputs, Split split) {
        JobSpec spec = run.spec();
        Corpus corpus = CorpusReader.read(sc, spec.corpus().withInputs(inputs), spec.split(), CorpusReader.Use.FOR_SCORING);
        Object input = inputs.size() == 1 ? inputs.get(0) : inputs;
        JavaRDD<Example> examples = split == null ? corpus.examples() : corpus.split(split);
        long read = split == null ? corpus.stats().examples() : corpus.stats().split(split).read();
        if (read == 0 && split != null)
            throw new UserInputException("--split " + EnumNames.label(split) + ": none of the " + corpus.stats().examples()
                    + " examples of " + input + " falls in the " + EnumNames.label(split)
                    + " split; evaluate --split all, or a larger corpus");
        CorpusTask task = CorpusTask.of(spec.task());
        SequenceEncoder encoder = task.encoder(run.vocab(), run.labels(), spec.model().embeddingSize() == 0);
        if (task.labels() == Labels.TAGS) return tagging(sc, input, split, corpus, examples, encoder);
        long unknownLabels = examples.filter(e -> !encoder.canEncode(e)).count();
        if (unknownLabels > 0) requireSomeKnownLabels(examples, unknownLabels, read, input);
        Broadcast<SequenceEncoder> shipped = sc.broadcast(encoder);
        JavaRDD<DataSet> batches = Minibatches.batch(examples.filter(encoder::canEncode), shipped,
                spec.train().batchSize(), true, spec.seed()).cache();
        BatchShape shape = Minibatches.shape(batches);
        int classes = run.labels() == null ? 0 : run.labels().size();
        EvalTally tally = new HeldOutEvaluator(task.scoring(), classes).evaluate(sc, run.network(), batches);
        List<String> labelNames = run.labels() == null ? List.of() : run.labels().labels();
        Map<String, Object> out = header(input, split);
        Map<String, Object> metrics = HeldOutMetrics.of(task.scoring(), tally, labelNames, shape.realSteps());
        metrics.put("unknownLabels", unknownLabels);
        out.put("heldOut", metrics);
        out.put("baseline", baseline(sc, task, tally, batches, shipped, labelNames, shape.realSteps()));
        batches.unpersist();
        out.put("corpus", corpus.stats().toMap());
        return out;
    }

    /** Labels the model lacks are counted, not scored; when no label is one it knows, nothing would be scored. */
    private void requireSomeKnownLabels(JavaRDD<Example> examples, long unknown, long read, Object input) {
        List<String> found = TokenCounter.labels(examples).stream().map(TokenCount::token).sorted().toList();
        List<String> unseen = found.stream().filter(l -> run.labels().id(l) < 0).toList();
        if (unknown == read)
            throw new UserInputException("--input " + input + ": none of its labels " + shown(found)
                    + " is one the model knows " + run.labels().labels() + "; evaluate a corpus with the run's labels, "
                    + "in its corpus.format (label<TAB>text for labeled)");
        warnings.printf("recur: warning: %d of %d examples of %s have labels the model does not know %s; they are "
                + "counted as unknownLabels, not scored%n", unknown, read, input, shown(unseen));
    }

    private static String shown(List<String> labels) {
        return labels.size() <= LABELS_SHOWN ? labels.toString()
                : labels.subList(0, LABELS_SHOWN) + " and " + (labels.size() - LABELS_SHOWN) + " more";
    }

    /**
     * The training report's baseline on the same batches: the majority class or the add-one
     * unigram of the run's own training split. Null, with a warning, when that corpus cannot be
     * read any more: the model's metrics do not need it.
     */
    private Map<String, Object> baseline(JavaSparkContext sc, CorpusTask task, EvalTally model, JavaRDD<DataSet> batches,
                                         Broadcast<SequenceEncoder> shipped, List<String> labelNames, long steps) {
        JobSpec spec = run.spec();
        JavaRDD<Example> train;
        try {
            train = trainingSplit(sc);
        } catch (UserInputException e) {
            warnings.println("recur: warning: no baseline: the run's training corpus cannot be read (" + e.getMessage() + ")");
            return null;
        }
        EvalTally tally;
        boolean classes = task.labels() == Labels.CLASSES;
        if (classes) {
            long[] counts = new long[run.labels().size()];
            for (TokenCount c : TokenCounter.labels(train)) {
                int id = run.labels().id(c.token());
                if (id >= 0) counts[id] = c.count();
            }
            tally = Baselines.majorityClass(counts, model);
        } else {
            JavaRDD<DataSet> trainBatches = Minibatches.batch(train, shipped, spec.train().batchSize(), true, spec.seed());
            tally = Baselines.unigram(sc, Baselines.targetCounts(trainBatches, run.vocab().size()), run.vocab().size() - 2,
                    batches);
        }
        Map<String, Object> m = HeldOutMetrics.of(task.scoring(), tally, labelNames, steps);
        m.put("name", classes ? "majority class" : "add-one unigram");
        return m;
    }

    /** The examples the run was trained on: the training split of its corpus, or its train-subset. */
    private JavaRDD<Example> trainingSplit(JavaSparkContext sc) {
        JobSpec spec = run.spec();
        double subset = spec.split().trainSubset();
        JavaRDD<Example> train = CorpusReader.read(sc, spec.corpus(), spec.split()).split(Split.TRAIN);
        return subset < 1 ? train.filter(e -> StableSplit.inTrainSubset(e, subset)) : train;
    }

    private Map<String, Object> header(Object input, Split split) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", run.provenance().jobName() + "/" + run.provenance().runId());
        out.put("input", input);
        out.put("split", split == null ? "all" : EnumNames.label(split));
        return out;
    }

    /**
     * A tagger's metrics with the most-frequent-tag baseline. Which words are unseen, and the
     * baseline, come from the training split of the run's own corpus, read again from its spec.
     */
    private Map<String, Object> tagging(JavaSparkContext sc, Object input, Split split, Corpus corpus,
                                        JavaRDD<Example> examples, SequenceEncoder encoder) {
        MostFrequentTag baseline = MostFrequentTag.fit(trainingSplit(sc));
        TagEvaluator.Result scored = new TagEvaluator(encoder, run.labels(), run.spec().train().batchSize())
                .evaluate(sc, run.network(), examples, baseline);
        long unknownTags = scored.model().unknownTags();
        if (unknownTags > 0 && scored.model().tokens() == 0)
            throw new UserInputException("--input " + input + ": none of its " + unknownTags + " tagged tokens has a tag "
                    + "the model knows " + shown(run.labels().labels()) + "; evaluate a corpus in the run's format with the run's tags");
        if (unknownTags > 0)
            warnings.printf("recur: warning: %d tokens of %s have tags the model does not know; they are counted as "
                    + "unknownTags, not scored%n", unknownTags, input);
        Map<String, Object> out = header(input, split);
        out.put("heldOut", HeldOutMetrics.ofTagging(scored.model(), run.labels().labels(), true));
        Map<String, Object> baselineMetrics = HeldOutMetrics.ofTagging(scored.baseline(), run.labels().labels(), false);
        baselineMetrics.put("name", "most frequent tag per word");
        out.put("baseline", baselineMetrics);
        out.put("corpus", corpus.stats().toMap());
        return out;
    }
}
