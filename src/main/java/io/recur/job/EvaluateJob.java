package io.recur.job;

import io.recur.config.JobSpec;
import io.recur.config.Task;
import io.recur.config.UserInputException;
import io.recur.corpus.Corpus;
import io.recur.corpus.CorpusReader;
import io.recur.corpus.Example;
import io.recur.corpus.Split;
import io.recur.encode.BatchShape;
import io.recur.encode.SequenceEncoder;
import io.recur.eval.EvalTally;
import io.recur.eval.HeldOutEvaluator;
import io.recur.eval.HeldOutMetrics;
import io.recur.eval.MostFrequentTag;
import io.recur.eval.TagEvaluator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.dataset.DataSet;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Held-out metrics of a saved run on any corpus in the run's format. With the run's own corpus and
 * {@code split = TEST} it reproduces the {@code heldOut} block of the run's {@code metrics.json}.
 */
public final class EvaluateJob {
    private final SavedRun run;

    public EvaluateJob(SavedRun run) {
        if (run.spec().task().synthetic())
            throw new UserInputException("--model: run " + run.provenance().jobName() + "/" + run.provenance().runId()
                    + " was trained on the generated job.task = " + run.spec().task().name().toLowerCase().replace('_', '-')
                    + ", which has no text to evaluate; its held-out scores are in the run's metrics.json");
        this.run = run;
    }

    /** @param split one split only, or null for every example of the input */
    public Map<String, Object> run(JavaSparkContext sc, String input, Split split) {
        return run(sc, List.of(input), split);
    }

    /**
     * @param inputs files, directories or globs read as one corpus
     * @param split  one split only, or null for every example of the inputs
     */
    public Map<String, Object> run(JavaSparkContext sc, List<String> inputs, Split split) {
        JobSpec spec = run.spec();
        Corpus corpus = CorpusReader.read(sc, spec.corpus().withPaths(inputs), spec.split());
        Object input = inputs.size() == 1 ? inputs.get(0) : inputs;
        JavaRDD<Example> examples = split == null ? corpus.examples() : corpus.split(split);
        SequenceEncoder encoder = SequenceEncoder.forTask(spec.task(), run.vocab(), run.labels(),
                spec.model().embeddingSize() == 0);
        if (spec.task() == Task.TAG) return tagging(sc, input, split, corpus, examples, encoder);
        long unknownLabels = examples.filter(e -> !encoder.canEncode(e)).count();
        JavaRDD<DataSet> batches = Minibatches.batch(examples.filter(encoder::canEncode), sc.broadcast(encoder),
                spec.train().batchSize(), true, spec.seed()).cache();
        BatchShape shape = Minibatches.shape(batches);
        int classes = run.labels() == null ? 0 : run.labels().size();
        EvalTally tally = new HeldOutEvaluator(spec.task(), classes).evaluate(sc, run.network(), batches);
        batches.unpersist();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", run.provenance().jobName() + "/" + run.provenance().runId());
        out.put("input", input);
        out.put("split", split == null ? "all" : split.name().toLowerCase());
        Map<String, Object> metrics = HeldOutMetrics.of(spec.task(), tally,
                run.labels() == null ? List.of() : run.labels().labels(), shape.realSteps());
        metrics.put("unknownLabels", unknownLabels);
        out.put("heldOut", metrics);
        out.put("corpus", corpus.stats().toMap());
        return out;
    }

    /**
     * A tagger's metrics with the most-frequent-tag baseline. Which words are unseen, and the
     * baseline, come from the training split of the run's own corpus, read again from its spec.
     */
    private Map<String, Object> tagging(JavaSparkContext sc, Object input, Split split, Corpus corpus,
                                        JavaRDD<Example> examples, SequenceEncoder encoder) {
        JobSpec spec = run.spec();
        MostFrequentTag baseline = MostFrequentTag.fit(
                CorpusReader.read(sc, spec.corpus(), spec.split()).split(Split.TRAIN));
        TagEvaluator.Result scored = new TagEvaluator(encoder, run.labels(), spec.train().batchSize())
                .evaluate(sc, run.network(), examples, baseline);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", run.provenance().jobName() + "/" + run.provenance().runId());
        out.put("input", input);
        out.put("split", split == null ? "all" : split.name().toLowerCase());
        out.put("heldOut", HeldOutMetrics.ofTagging(scored.model(), run.labels().labels(), true));
        Map<String, Object> baselineMetrics = HeldOutMetrics.ofTagging(scored.baseline(), run.labels().labels(), false);
        baselineMetrics.put("name", "most frequent tag per word");
        out.put("baseline", baselineMetrics);
        out.put("corpus", corpus.stats().toMap());
        return out;
    }
}
