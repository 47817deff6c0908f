package io.recur.job;

import io.recur.bench.Row;
import io.recur.bench.Target;
import io.recur.config.JobSpec;
import io.recur.config.JobSpecLoader;
import io.recur.config.TrainSpec;
import io.recur.config.TrainingApproach;
import io.recur.corpus.CorpusReader;
import io.recur.data.CorpusData;
import io.recur.data.Minibatches;
import io.recur.data.TrainingData;
import io.recur.encode.BatchShape;
import io.recur.model.NetworkFactory;
import io.recur.model.NetworkShape;
import io.recur.train.AveragingTrainer;
import io.recur.train.Checkpoint;
import io.recur.train.TrainingProgress;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows 3, 5, 6 and the Spark levers, measured through the job's own pipeline ({@link CorpusData},
 * {@link AveragingTrainer}) in one {@code local[2]} context. Public for io.recur.bench.Bench; lives
 * here because the pipeline classes are package-private.
 */
public final class JobBench {
    private static final PrintStream DISCARD = new PrintStream(OutputStream.nullOutputStream());
    private static final Path MOBY = Path.of("jobs/moby-dick-char-lstm.conf");
    private static final Path BROWN = Path.of("jobs/brown-pos-bilstm.conf");
    private static final Path SMS = Path.of("jobs/default.conf");

    private final boolean quick;
    private final PrintStream log;
    private final int cores = Runtime.getRuntime().availableProcessors();

    public JobBench(boolean quick, PrintStream log) {
        this.quick = quick;
        this.log = log;
    }

    /** One way of training the same minibatches, timed as tokens (real steps) per second of fitting. */
    private record Variant(String name, boolean spark, int threads, TrainSpec train) {}

    /**
     * Row 3 and the training levers: the Moby Dick character LSTM job on the same minibatches, fitted
     * by one network in this JVM with all cores, and by parameter averaging in local[2] with the
     * shipped defaults and with one setting changed at a time.
     */
    public List<Row> spark() {
        try (JavaSparkContext sc = localContext()) {
            JobSpec spec = JobSpecLoader.load(MOBY, List.of("train.workers=2"));
            TrainingData data = CorpusData.encode(sc, spec, CorpusReader.read(sc, spec.corpus(), spec.split()), null, null, 2, DISCARD);
            NetworkShape shape = data.shape();
            int perWorker = quick ? 6 : 12;
            List<DataSet> batches = firstBatchesOfEachPartition(data.train(), perWorker);
            BatchShape epoch = Minibatches.shape(data.train());
            double[] scanSeconds = scans(data.train());
            data.unpersist();
            long tokens = batches.stream().mapToLong(b -> BatchShape.of(b).realSteps()).sum();
            log.printf("spark: %d minibatches, %d tokens (moby-dick-char-lstm)%n", batches.size(), tokens);

            TrainSpec shipped = spec.train();
            int perTask = Math.max(1, cores / 2);
            // The single JVM gets its better thread setting: all cores, or one thread when other load makes
            // ND4J's threads wait on each other.
            Variant single = new Variant("single JVM", false, cores, shipped);
            Variant singleOneThread = new Variant("single JVM, 1 thread", false, 1, shipped);
            Variant tuned = new Variant("local[2]", true, perTask, shipped);
            Variant stock = new Variant("local[2], stock DL4J settings", true, cores, with(shipped, 5, 2, "MEMORY_ONLY_SER", TrainingApproach.DIRECT));
            Map<Variant, List<Double>> rates = new LinkedHashMap<>();
            for (Variant v : List.of(single, singleOneThread, tuned, stock)) rates.put(v, new ArrayList<>());
            for (Variant v : List.of(single, tuned)) rate(sc, spec, shape, v, batches, tokens); // warm-up
            int reps = quick ? 1 : 3;
            List<Double> overhead = new ArrayList<>();
            List<Double> stockOverhead = new ArrayList<>();
            for (int rep = 0; rep < reps; rep++) {
                for (Variant v : rates.keySet()) rates.get(v).add(rate(sc, spec, shape, v, batches, tokens));
                double best = Math.max(rates.get(single).get(rep), rates.get(singleOneThread).get(rep));
                overhead.add(rates.get(tuned).get(rep) / best);
                stockOverhead.add(rates.get(stock).get(rep) / best);
            }
            double singleMedian = Row.median(rates.get(single));
            double singleOneMedian = Row.median(rates.get(singleOneThread));
            String config = "moby-dick-char-lstm (lstm 128, one-hot chars, batch " + shipped.batchSize() + "), "
                    + batches.size() + " minibatches, " + tokens + " tokens per epoch";
            List<Row> rows = new ArrayList<>();
            rows.add(Row.reference("spark-overhead", "parameter averaging in local[2] vs one JVM",
                            config + "; local[2] " + describe(tuned) + "; single JVM " + cores + " threads "
                                    + Row.number(singleMedian) + " tokens/s, 1 thread " + Row.number(singleOneMedian)
                                    + " tokens/s (the better one per repetition is the reference)", rates.get(tuned), "tokens/s")
                    .judged("local[2] / best single JVM tokens/s", Row.median(overhead), Target.atLeast(0.85)));
            rows.add(Row.reference("spark-overhead-stock", "as spark-overhead, stock settings",
                            config + "; local[2] " + describe(stock), rates.get(stock), "tokens/s")
                    .judged("local[2] stock / best single JVM tokens/s", Row.median(stockOverhead), null));

            // Levers: one setting away from the shipped defaults, one repetition each beside one with the
            // shipped settings, so that each ratio compares runs seconds apart.
            int otherPrefetch = shipped.prefetchBatches() == 0 ? 2 : 0;
            String otherLevel = shipped.storageLevel().equals("MEMORY_ONLY") ? "MEMORY_ONLY_SER" : "MEMORY_ONLY";
            List<Variant> levers = List.of(
                    new Variant("ND4J threads = cores (" + cores + ") per task", true, cores, shipped),
                    new Variant("averaging-frequency 5", true, perTask, with(shipped, 5, shipped.prefetchBatches(), shipped.storageLevel(), shipped.approach())),
                    new Variant("averaging-frequency 20", true, perTask, with(shipped, 20, shipped.prefetchBatches(), shipped.storageLevel(), shipped.approach())),
                    new Variant("prefetch " + otherPrefetch, true, perTask, with(shipped, shipped.averagingFrequencyBatches(), otherPrefetch, shipped.storageLevel(), shipped.approach())),
                    new Variant("storage " + otherLevel, true, perTask, with(shipped, shipped.averagingFrequencyBatches(), shipped.prefetchBatches(), otherLevel, shipped.approach())),
                    new Variant("approach " + (shipped.approach() == TrainingApproach.DIRECT ? "export" : "direct"), true, perTask,
                            with(shipped, shipped.averagingFrequencyBatches(), shipped.prefetchBatches(), shipped.storageLevel(),
                                    shipped.approach() == TrainingApproach.DIRECT ? TrainingApproach.EXPORT : TrainingApproach.DIRECT)));
            Map<Integer, Double> secondsByFrequency = new LinkedHashMap<>();
            for (Variant lever : levers) {
                double base = rate(sc, spec, shape, tuned, batches, tokens);
                double changed = rate(sc, spec, shape, lever, batches, tokens);
                if (lever.name().startsWith("averaging-frequency")) {
                    secondsByFrequency.put(shipped.averagingFrequencyBatches(), tokens / base);
                    secondsByFrequency.put(lever.train().averagingFrequencyBatches(), tokens / changed);
                }
                String id = "lever-" + lever.name().toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("-$", "");
                rows.add(Row.reference(id, "lever: " + lever.name(),
                                "local[2], otherwise as spark-overhead; shipped settings " + Row.number(base) + " tokens/s",
                                List.of(changed), "tokens/s")
                        .judged("changed / shipped tokens/s", changed / base, null));
                log.printf("%s: %s vs shipped %s tokens/s%n", id, Row.number(changed), Row.number(base));
            }
            rows.add(roundSeconds(secondsByFrequency, perWorker));
            rows.add(storageScans(shipped, epoch, scanSeconds, Row.median(rates.get(tuned))));
            return rows;
        } finally {
            threads(cores);
        }
    }

    /**
     * DL4J splits the training RDD into averaging rounds with randomSplit, and every split scans the
     * whole cached RDD: a serialized level deserializes every minibatch of the epoch once per round.
     * Returns the seconds of one scan of MEMORY_ONLY_SER and of MEMORY_ONLY copies, each the median of three.
     */
    private static double[] scans(JavaRDD<DataSet> train) {
        double[] out = new double[2];
        int i = 0;
        for (StorageLevel level : List.of(StorageLevel.MEMORY_ONLY_SER(), StorageLevel.MEMORY_ONLY())) {
            JavaRDD<DataSet> copy = train.map(ds -> ds).persist(level);
            copy.count();
            List<Double> seconds = new ArrayList<>();
            for (int rep = 0; rep < 3; rep++) {
                long start = System.nanoTime();
                copy.foreach(ds -> ds.getFeatures().length());
                seconds.add((System.nanoTime() - start) / 1e9);
            }
            out[i++] = Row.median(seconds);
            copy.unpersist();
        }
        return out;
    }

    private static Row storageScans(TrainSpec shipped, BatchShape epoch, double[] scanSeconds, double tokensPerSecond) {
        double rounds = Math.ceil(epoch.batches() / (2.0 * shipped.averagingFrequencyBatches()));
        double epochSeconds = epoch.realSteps() / tokensPerSecond;
        double extra = rounds * (scanSeconds[0] - scanSeconds[1]);
        return Row.reference("lever-storage-epoch", "lever: MEMORY_ONLY_SER vs MEMORY_ONLY over a whole epoch",
                        "full moby-dick-char-lstm epoch: " + epoch.batches() + " minibatches, " + (int) rounds
                                + " rounds, each scanning every minibatch; one scan " + Row.number(scanSeconds[0])
                                + " s (MEMORY_ONLY_SER) vs " + Row.number(scanSeconds[1]) + " s (MEMORY_ONLY); epoch fit "
                                + Row.number(epochSeconds) + " s at the spark-overhead rate",
                        List.of(extra), "s per epoch")
                .judged("extra seconds of MEMORY_ONLY_SER / epoch seconds", extra / epochSeconds, null);
    }

    /**
     * The fixed cost of one averaging round (a Spark job, the broadcast and the collection of the
     * parameters and updater state), for the README's cost model: the least-squares slope of epoch
     * seconds over rounds per epoch, from the averaging-frequency levers.
     */
    private static Row roundSeconds(Map<Integer, Double> secondsByFrequency, int batchesPerWorker) {
        double n = secondsByFrequency.size(), sx = 0, sy = 0, sxx = 0, sxy = 0;
        StringBuilder points = new StringBuilder();
        for (var e : secondsByFrequency.entrySet()) {
            double rounds = Math.ceil(batchesPerWorker / (double) e.getKey());
            sx += rounds;
            sy += e.getValue();
            sxx += rounds * rounds;
            sxy += rounds * e.getValue();
            points.append(points.length() == 0 ? "" : ", ").append("frequency ").append(e.getKey()).append(": ")
                    .append((int) rounds).append(" rounds ").append(Row.number(e.getValue())).append(" s");
        }
        double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        return Row.reference("spark-round-seconds", "seconds per averaging round beyond compute (local[2])",
                "slope of epoch seconds over rounds; " + points, List.of(slope), "s");
    }

    /** Rows 5 and 6: preprocessing of the full Brown corpus against one epoch; padding of SMS and Brown. */
    public List<Row> data() {
        try (JavaSparkContext sc = localContext()) {
            threads(Math.max(1, cores / 2));
            List<Row> rows = new ArrayList<>();
            Map<String, BatchShape> sms = new LinkedHashMap<>();
            for (boolean bucketing : List.of(true, false)) {
                sms.put(bucketing ? "on" : "off", prepare(sc, SMS, bucketing).shape);
            }
            Prepared brown = prepare(sc, BROWN, true);
            Prepared brownUnbucketed = prepare(sc, BROWN, false);
            rows.add(padding("padding-sms", "SMS spam (jobs/default.conf)", sms.get("on"), sms.get("off")));
            rows.add(padding("padding-brown", "Brown (jobs/brown-pos-bilstm.conf)", brown.shape, brownUnbucketed.shape));

            // One epoch: the throughput of fitting a sample of the epoch's own minibatches, times its tokens.
            JobSpec spec = JobSpecLoader.load(BROWN, List.of());
            TrainingData data = CorpusData.encode(sc, spec, CorpusReader.read(sc, spec.corpus(), spec.split()), null, null, 2, DISCARD);
            NetworkShape shape = data.shape();
            List<DataSet> sample = firstBatchesOfEachPartition(data.train(), quick ? 4 : 15);
            BatchShape epoch = Minibatches.shape(data.train());
            data.unpersist();
            long sampleTokens = sample.stream().mapToLong(b -> BatchShape.of(b).realSteps()).sum();
            Variant shipped = new Variant("local[2]", true, Math.max(1, cores / 2), spec.train());
            rate(sc, spec, shape, shipped, sample, sampleTokens);
            double tokensPerSecond = rate(sc, spec, shape, shipped, sample, sampleTokens);
            double epochSeconds = epoch.realSteps() / tokensPerSecond;
            List<Double> seconds = List.of(brown.seconds, brownUnbucketed.seconds);
            double preprocessing = Row.median(seconds);
            log.printf("brown: preprocessing %.1f s, epoch %.1f s (%s tokens/s over %d tokens)%n", preprocessing,
                    epochSeconds, Row.number(tokensPerSecond), epoch.realSteps());
            rows.add(Row.reference("preprocessing-brown", "read + tokenize + vocabulary + split + encode, full Brown",
                            brown.examples + " sentences, " + epoch.realSteps() + " training tokens; local[2]; epoch "
                                    + Row.number(epochSeconds) + " s estimated from " + sampleTokens + " tokens fitted at "
                                    + Row.number(tokensPerSecond) + " tokens/s; preprocessing "
                                    + Row.number(preprocessing) + " s = " + Row.number(brown.tokens / preprocessing)
                                    + " corpus tokens/s", seconds, "s")
                    .judged("preprocessing / one epoch", preprocessing / epochSeconds, Target.atMost(0.10)));
            return rows;
        } finally {
            threads(cores);
        }
    }

    private record Prepared(BatchShape shape, double seconds, long examples, long tokens) {}

    /** Everything a training job does before its first minibatch, with every split's batches built. */
    private Prepared prepare(JavaSparkContext sc, Path job, boolean bucketing) {
        JobSpec spec = JobSpecLoader.load(job, List.of("train.length-bucketing=" + bucketing));
        long start = System.nanoTime();
        CorpusData data = CorpusData.encode(sc, spec, CorpusReader.read(sc, spec.corpus(), spec.split()), null, null, 2, DISCARD);
        BatchShape shape = Minibatches.shape(data.train());
        Minibatches.shape(data.validation());
        Minibatches.shape(data.test());
        double seconds = (System.nanoTime() - start) / 1e9;
        @SuppressWarnings("unchecked")
        var splits = (Map<String, Map<String, Object>>) data.description().getValue().get("splits");
        long tokens = splits.values().stream().mapToLong(m -> ((Number) m.get("tokens")).longValue()).sum();
        data.unpersist();
        log.printf("%s bucketing %s: %.1f s, padding %.1f%%%n", job, bucketing, seconds, 100 * shape.paddingFraction());
        return new Prepared(shape, seconds, data.examples(), tokens);
    }

    private static Row padding(String id, String corpus, BatchShape bucketed, BatchShape unbucketed) {
        return Row.reference(id, "padding share of processed time steps, " + corpus,
                        "training split; train.length-bucketing = false: "
                                + Row.number(100 * unbucketed.paddingFraction()) + "% padding", List.of(bucketed.paddingFraction()), "fraction")
                .judged("padding with bucketing", bucketed.paddingFraction(), Target.atMost(0.10));
    }

    /** Tokens per second of one epoch over {@code batches}, from a freshly initialised network. */
    private double rate(JavaSparkContext sc, JobSpec spec, NetworkShape shape, Variant v, List<DataSet> batches, long tokens) {
        threads(v.threads());
        MultiLayerNetwork net = NetworkFactory.create(spec.model(), shape, spec.seed());
        double rate;
        if (!v.spark()) {
            long start = System.nanoTime();
            for (DataSet b : batches) net.fit(b);
            rate = tokens / ((System.nanoTime() - start) / 1e9);
        } else {
            rate = sparkRate(sc, spec, net, v, batches, tokens);
        }
        log.printf("  %s (%s): %s tokens/s%n", v.name(), v.spark() ? describe(v) : v.threads() + " threads", Row.number(rate));
        return rate;
    }

    private static double sparkRate(JavaSparkContext sc, JobSpec spec, MultiLayerNetwork net, Variant v,
                                     List<DataSet> batches, long tokens) {
        JavaRDD<DataSet> rdd = sc.parallelize(batches, 2).persist(StorageLevel.fromString(v.train().storageLevel()));
        rdd.count();
        Path export = null;
        try {
            export = Files.createTempDirectory("recur-bench-export");
            AveragingTrainer trainer = new AveragingTrainer(sc, v.train(), 2, spec.seed(), export.toUri().toString());
            var trained = trainer.fit(Checkpoint.start(net), rdd, tokens, n -> 0.0,
                    new TrainingProgress(DISCARD, false, 1, 1, batches.size(), tokens), c -> { });
            return trained.report().tokensPerSecond();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            rdd.unpersist();
            if (export != null) deleteTree(export);
        }
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the benchmark's export directory " + dir, e);
        }
    }

    private static TrainSpec with(TrainSpec t, int averaging, int prefetch, String storage, TrainingApproach approach) {
        return new TrainSpec(1, t.batchSize(), 2, 1, averaging, prefetch, approach, storage, 0, t.lengthBucketing());
    }

    private static String describe(Variant v) {
        TrainSpec t = v.train();
        return v.threads() + " ND4J thread(s) per task, averaging-frequency " + t.averagingFrequencyBatches()
                + ", prefetch " + t.prefetchBatches() + ", " + t.storageLevel() + ", " + t.approach().name().toLowerCase();
    }

    private static List<DataSet> firstBatchesOfEachPartition(JavaRDD<DataSet> batches, int perPartition) {
        return batches.mapPartitions((Iterator<DataSet> it) -> {
            List<DataSet> out = new ArrayList<>();
            while (it.hasNext() && out.size() < perPartition) out.add(it.next());
            return out.iterator();
        }).collect();
    }

    /** local[2] runs both tasks in this process, so one setting covers the variant. */
    private static void threads(int n) {
        SparkContexts.limitNd4jThreads(n);
    }

    private static JavaSparkContext localContext() {
        return new JavaSparkContext(SparkContexts.withRecurSettings(new SparkConf()
                .setMaster("local[2]").setAppName("recur bench")
                .set("spark.ui.enabled", "false")));
    }
}
