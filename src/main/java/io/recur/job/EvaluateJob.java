package io.recur.job;

import io.recur.config.CorpusSpec;
import io.recur.config.JobSpec;
import io.recur.config.Task;
import io.recur.corpus.Corpus;
import io.recur.corpus.CorpusReader;
import io.recur.corpus.Example;
import io.recur.corpus.Split;
import io.recur.encode.BatchShape;
import io.recur.encode.SequenceEncoder;
import io.recur.eval.EvalTally;
import io.recur.eval.HeldOutEvaluator;
import io.recur.eval.HeldOutMetrics;
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
        this.run = run;
    }

    /** @param split one split only, or null for every example of the input */
    public Map<String, Object> run(JavaSparkContext sc, String input, Split split) {
        JobSpec spec = run.spec();
        CorpusSpec c = spec.corpus();
        CorpusSpec corpusSpec = new CorpusSpec(List.of(input), c.format(), c.tokenizer(), c.lowercase(),
                c.maxSequenceLength(), c.maxBadFraction());
        Corpus corpus = CorpusReader.read(sc, corpusSpec, spec.split());
        JavaRDD<Example> examples = split == null ? corpus.examples() : corpus.split(split);
        boolean oneHot = spec.model().embeddingSize() == 0;
        SequenceEncoder encoder = spec.task() == Task.CLASSIFY
                ? SequenceEncoder.forClassification(run.vocab(), run.labels(), oneHot)
                : SequenceEncoder.forLanguageModel(run.vocab(), oneHot);
        long unknownLabels = examples.filter(e -> !encoder.canEncode(e)).count();
        JavaRDD<DataSet> batches = Minibatches.batch(examples.filter(encoder::canEncode), encoder,
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
}
