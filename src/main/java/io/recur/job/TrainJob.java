package io.recur.job;

import io.recur.config.JobSpec;
import io.recur.config.Task;
import io.recur.config.TrainingApproach;
import io.recur.config.UserInputException;
import io.recur.corpus.Corpus;
import io.recur.corpus.CorpusReader;
import io.recur.corpus.Example;
import io.recur.corpus.Split;
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
import io.recur.model.NetworkFactory;
import io.recur.model.NetworkShape;
import io.recur.provenance.ModelProvenance;
import io.recur.train.AveragingTrainer;
import io.recur.train.EpochRecord;
import io.recur.train.TrainingProgress;
import io.recur.train.TrainingReport;
import io.recur.vocab.LabelSet;
import io.recur.vocab.Vocabulary;
import io.recur.vocab.VocabularyFile;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training job: reads the corpus, builds the vocabulary and labels from the training split,
 * encodes minibatches balanced over the workers, trains by parameter averaging with validation
 * after each epoch, evaluates the best parameters and a trivial baseline on the test split, and
 * publishes the run directory.
 */
public final class TrainJob {
    private final JobSpec spec;
    private final PrintStream console;
    private final boolean liveProgress;

    public TrainJob(JobSpec spec, PrintStream console, boolean liveProgress) {
        this.spec = spec;
        this.console = console;
        this.liveProgress = liveProgress;
    }

    /** Checks the output is writable, starts Spark, trains, stops Spark. */
    public TrainResult run(String masterOverride) {
        RunDirectory dir = RunDirectory.create(spec.output().dir(), spec.name(), new Configuration());
        JavaSparkContext sc;
        try {
            sc = SparkContexts.start(spec, masterOverride);
        } catch (RuntimeException e) {
            dir.discard();
            throw e;
        }
        try {
            return run(sc, dir);
        } finally {
            sc.stop();
        }
    }

    /** Trains with a running Spark context into a prepared run directory. */
    public TrainResult run(JavaSparkContext sc, RunDirectory dir) {
        try {
            return train(sc, dir);
        } catch (RuntimeException | Error e) {
            dir.discard();
            throw e;
        }
    }

    private TrainResult train(JavaSparkContext sc, RunDirectory dir) {
        requireSharedFileSystemForExport(sc);
        Task task = spec.task();
        long seed = spec.seed();
        Corpus corpus = CorpusReader.read(sc, spec.corpus(), spec.split());
        JavaRDD<Example> train = corpus.split(Split.TRAIN);

        Vocabulary vocab = vocabulary(train);
        List<TokenCount> labelCounts = switch (task) {
            case CLASSIFY -> TokenCounter.labels(train);
            case TAG -> TokenCounter.tags(train);
            case LM -> List.of();
        };
        LabelSet labels = switch (task) {
            case CLASSIFY -> labelSet(labelCounts);
            case TAG -> new LabelSet(labelCounts.stream().map(TokenCount::token).sorted().toList());
            case LM -> null;
        };
        SequenceEncoder encoder = SequenceEncoder.forTask(task, vocab, labels, spec.model().embeddingSize() == 0);
        var stats = corpus.stats();
        console.printf("corpus: %d files, %d examples (train %d, validation %d, test %d), %d skipped; "
                        + "vocabulary %d ids%s%n", stats.files(), stats.examples(), stats.split(Split.TRAIN).read(),
                stats.split(Split.VALIDATION).read(), stats.split(Split.TEST).read(),
                stats.skippedBad() + stats.skippedEmpty(), vocab.size(),
                labels == null ? "" : task == Task.TAG ? "; " + labels.size() + " tags" : "; labels " + labels.labels());

        int workers = spec.train().workers() > 0 ? spec.train().workers() : sc.defaultParallelism();
        int partitions = workers * spec.train().partitionsPerWorker();
        int batchSize = spec.train().batchSize();
        boolean bucketing = spec.train().lengthBucketing();
        StorageLevel level = StorageLevel.fromString(spec.train().storageLevel());
        JavaRDD<DataSet> trainBatches = Minibatches.balanced(train, encoder, batchSize, bucketing, partitions, seed)
                .persist(level);
        JavaRDD<DataSet> validationBatches = heldOutBatches(corpus, Split.VALIDATION, encoder).persist(level);
        JavaRDD<DataSet> testBatches = heldOutBatches(corpus, Split.TEST, encoder).persist(level);
        long unknownValidation = corpus.split(Split.VALIDATION).filter(e -> !encoder.canEncode(e)).count();
        long unknownTest = corpus.split(Split.TEST).filter(e -> !encoder.canEncode(e)).count();
        BatchShape trainShape = Minibatches.shape(trainBatches);
        BatchShape testShape = Minibatches.shape(testBatches);
        if (testShape.examples() == 0 || Minibatches.shape(validationBatches).examples() == 0)
            throw new UserInputException("corpus.path: no validation or test example has a label seen in training; "
                    + "the corpus is too small or its labels too rare for the split fractions");
        console.printf(java.util.Locale.ROOT, "training data: %d examples in %d minibatches over %d partitions; padding %.1f%% of time steps%n",
                trainShape.examples(), trainShape.batches(), partitions, 100 * trainShape.paddingFraction());

        int outputs = task == Task.LM ? vocab.size() : labels.size();
        MultiLayerNetwork net = NetworkFactory.create(spec.model(), new NetworkShape(task, vocab.size(), outputs), seed);
        HeldOutEvaluator evaluator = new HeldOutEvaluator(task, labels == null ? 0 : labels.size());
        int rounds = (int) Math.ceil(trainShape.batches() / (double) (workers * spec.train().averagingFrequencyBatches()));
        TrainingProgress progress = new TrainingProgress(console, liveProgress, spec.train().epochs(), rounds,
                trainShape.examples(), trainShape.realSteps());
        String exportDir = new Path(spec.output().workDir(), "export-" + dir.runId()).toString();
        progress.attach(sc);
        AveragingTrainer.Trained trained;
        try {
            trained = new AveragingTrainer(sc, spec.train(), workers, seed, exportDir)
                    .fit(net, trainBatches, trainShape.realSteps(),
                            n -> evaluator.evaluate(sc, n, validationBatches).meanNll(), progress);
        } finally {
            progress.detach(sc);
            deleteQuietly(exportDir, sc.hadoopConfiguration());
        }

        Map<String, Object> heldOut;
        Map<String, Object> baselineMetrics;
        if (task == Task.TAG) {
            TagEvaluator.Result scored = new TagEvaluator(encoder, labels, batchSize)
                    .evaluate(sc, trained.network(), corpus.split(Split.TEST), MostFrequentTag.fit(train));
            heldOut = HeldOutMetrics.ofTagging(scored.model(), labels.labels(), true);
            baselineMetrics = HeldOutMetrics.ofTagging(scored.baseline(), labels.labels(), false);
            baselineMetrics.put("name", "most frequent tag per word");
        } else {
            EvalTally test = evaluator.evaluate(sc, trained.network(), testBatches);
            EvalTally baseline = task == Task.CLASSIFY
                    ? Baselines.majorityClass(countsInLabelOrder(labels, labelCounts), test)
                    : Baselines.unigram(sc, Baselines.targetCounts(trainBatches, vocab.size()), vocab.size() - 2, testBatches);
            List<String> labelNames = labels == null ? List.of() : labels.labels();
            heldOut = HeldOutMetrics.of(task, test, labelNames, testShape.realSteps());
            heldOut.put("unknownLabels", unknownTest);
            baselineMetrics = HeldOutMetrics.of(task, baseline, labelNames, testShape.realSteps());
            baselineMetrics.put("name", task == Task.CLASSIFY ? "majority class" : "add-one unigram");
        }

        Map<String, Object> metrics = metrics(dir, trained, trainShape, heldOut, baselineMetrics, vocab, corpus,
                unknownValidation);
        ModelProvenance provenance = ModelProvenance.of(spec.name(), dir.runId(), corpus.stats().fingerprint(),
                corpus.stats().examples(), VocabularyFile.sha256(vocab), sc.version(), Instant.now());
        try {
            SavedRun run = new SavedRun(spec, trained.network(), vocab, labels, provenance);
            run.writeTo(dir);
            writeJson(dir, SavedRun.METRICS, metrics);
            writeTrainingLog(dir, trained.report().epochs());
            RunReport.write(dir, run, metrics, trained.report().epochs(), corpus.split(Split.TEST));
        } catch (IOException e) {
            throw new UncheckedIOException("writing the run failed: " + e.getMessage(), e);
        }
        trainBatches.unpersist();
        validationBatches.unpersist();
        testBatches.unpersist();
        return new TrainResult(dir.publish().toString(), metrics);
    }

    /**
     * DL4J refuses the export approach on a cluster whose default file system is local, but only
     * once training starts and as an internal error; this says so before the corpus is read.
     */
    private void requireSharedFileSystemForExport(JavaSparkContext sc) {
        if (spec.train().approach() != TrainingApproach.EXPORT || sc.isLocal()) return;
        java.net.URI defaultFs = FileSystem.getDefaultUri(sc.hadoopConfiguration());
        if (!"file".equals(defaultFs.getScheme())) return;
        throw new UserInputException("train.approach = export: Spark runs on " + sc.master()
                + " but the default file system is " + defaultFs + ", which executors do not share; set "
                + "fs.defaultFS to a shared one (HADOOP_CONF_DIR, or spark-submit --conf "
                + "spark.hadoop.fs.defaultFS=hdfs://NAMENODE:PORT) or use train.approach = direct");
    }

    private JavaRDD<DataSet> heldOutBatches(Corpus corpus, Split split, SequenceEncoder encoder) {
        // Held-out batches are always length-bucketed: the order does not matter for evaluation.
        return Minibatches.batch(corpus.split(split).filter(encoder::canEncode), encoder,
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
        return Vocabulary.of(tokens, counts);
    }

    private static LabelSet labelSet(List<TokenCount> counts) {
        if (counts.size() < 2)
            throw new UserInputException("corpus.path: the training split has " + counts.size() + " class"
                    + (counts.size() == 1 ? " ('" + counts.get(0).token() + "')" : "es")
                    + "; classification needs at least two labels");
        return new LabelSet(counts.stream().map(TokenCount::token).sorted().toList());
    }

    private static long[] countsInLabelOrder(LabelSet labels, List<TokenCount> counts) {
        long[] out = new long[labels.size()];
        for (TokenCount c : counts) out[labels.id(c.token())] = c.count();
        return out;
    }

    private Map<String, Object> metrics(RunDirectory dir, AveragingTrainer.Trained trained, BatchShape trainShape,
                                        Map<String, Object> heldOut, Map<String, Object> baseline,
                                        Vocabulary vocab, Corpus corpus, long unknownValidation) {
        TrainingReport r = trained.report();
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("epochs", r.epochs().size());
        training.put("bestEpoch", r.bestEpoch());
        training.put("bestValidationLoss", r.bestValidationLoss());
        training.put("stoppedEarly", r.stoppedEarly());
        training.put("seconds", r.seconds());
        training.put("tokensPerSecond", r.tokensPerSecond());
        training.put("workers", r.workers());
        training.put("parameters", trained.network().numParams());
        training.put("examples", trainShape.examples());
        training.put("minibatches", trainShape.batches());
        training.put("paddingFraction", trainShape.paddingFraction());
        training.put("unknownValidationLabels", unknownValidation);

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job", spec.name());
        m.put("runId", dir.runId());
        m.put("task", spec.task().name().toLowerCase());
        m.put("cell", spec.model().cell().name().toLowerCase());
        m.put("heldOut", heldOut);
        m.put("baseline", baseline);
        m.put("training", training);
        m.put("vocabSize", vocab.size());
        m.put("corpus", corpus.stats().toMap());
        return m;
    }

    private static void writeJson(RunDirectory dir, String file, Object value) throws IOException {
        try (OutputStream out = dir.create(file)) {
            SavedRun.JSON.writeValue(out, value);
        }
    }

    private static void writeTrainingLog(RunDirectory dir, List<EpochRecord> epochs) throws IOException {
        try (OutputStream out = dir.create(SavedRun.TRAINING_LOG)) {
            for (EpochRecord e : epochs) {
                out.write(SavedRun.JSON.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsBytes(e));
                out.write('\n');
            }
        }
    }

    private static void deleteQuietly(String path, Configuration hadoop) {
        try {
            Path p = new Path(path);
            p.getFileSystem(hadoop).delete(p, true);
        } catch (IOException e) {
            // Scratch space only; a leftover export directory does not affect results.
        }
    }

    /** Where the run was published and what it measured. */
    public record TrainResult(String runDirectory, Map<String, Object> metrics) {}
}
