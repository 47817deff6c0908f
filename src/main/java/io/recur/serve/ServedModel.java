package io.recur.serve;

import io.recur.config.UserInputException;
import io.recur.job.PredictJob;
import io.recur.run.SavedRun;
import io.recur.run.RunMetrics;
import io.recur.task.CorpusTask;
import io.recur.task.Prediction;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * One loaded run as the server answers with it: the run checked on loading ({@link SavedRun#read}:
 * every file against its manifest), its {@code metrics.json}, and a pool of networks. A DL4J network
 * keeps per-call state and is not safe to share between threads, so each request borrows one
 * {@link PredictJob} with a network of its own for the length of its batch; there are as many as the
 * server has worker threads, so a worker never waits for one.
 */
final class ServedModel {
    private final SavedRun run;
    private final String runDir;
    private final String version;
    private final RunMetrics metrics;
    private final Instant loadedAt;
    private final Prediction kind;
    private final BlockingQueue<PredictJob> idle;

    private ServedModel(SavedRun run, String runDir, String version, RunMetrics metrics, int copies) {
        this.run = run;
        this.runDir = runDir;
        this.version = version;
        this.metrics = metrics;
        this.loadedAt = Instant.now();
        this.idle = new ArrayBlockingQueue<>(copies);
        // First, so that a run of a synthetic task is refused by predict's own message.
        idle.add(new PredictJob(run, null));
        this.kind = CorpusTask.of(run.spec().task()).prediction();
        for (int i = 1; i < copies; i++)
            idle.add(new PredictJob(new SavedRun(run.spec(), run.network().clone(), run.vocab(), run.labels(),
                    run.provenance()), null));
    }

    /**
     * Reads and checks a published run and answers one text with it, so that a model that loads but
     * cannot predict is refused here and not by the first request.
     *
     * @param version the registry version it is, null for a run directory given by path
     * @param copies  networks in the pool: the server's worker threads
     */
    static ServedModel load(String runDir, String version, Configuration hadoop, int copies, PrintStream warnings) {
        SavedRun run = SavedRun.read(runDir, hadoop, warnings);
        ServedModel model = new ServedModel(run, runDir, version, metrics(runDir, hadoop), copies);
        try {
            model.answer(new PredictRequest(List.of("a"), true, null));
        } catch (BadRequest noTokens) {
            // A tokenizer that keeps nothing of "a": the network was not reached, which is no fault of the model.
        }
        return model;
    }

    private static RunMetrics metrics(String runDir, Configuration hadoop) {
        Path file = new Path(runDir, RunMetrics.FILE);
        try (FSDataInputStream in = file.getFileSystem(hadoop).open(file)) {
            return RunMetrics.read(in);
        } catch (FileNotFoundException e) {
            return null; // a run published without training (an untrained or imported model) has none
        } catch (IOException e) {
            throw new UserInputException(file + ": cannot read it (" + e.getMessage() + ")", e);
        }
    }

    /**
     * The answers to a batch of texts, from one network call.
     *
     * @throws BadRequest a text without tokens for a classifier or tagger, a {@code topK} the task takes none of
     */
    List<Answer> answer(PredictRequest request) throws BadRequest {
        List<String> texts = request.texts();
        Integer topK = request.topK();
        if (topK != null && kind != Prediction.NEXT_TOKENS)
            throw new BadRequest(400, "\"topK\" is for a language model; this " + run.spec().task().label()
                    + " model answers " + (kind == Prediction.LABELS ? "every label's probability" : "one tag per token"));
        PredictJob job = borrow();
        try {
            return switch (kind) {
                case LABELS -> labels(job, tokens(job, texts, request));
                case TAGS -> tags(job, tokens(job, texts, request));
                case NEXT_TOKENS -> nextTokens(job, texts, topK == null ? kind.defaultTopK() : topK);
            };
        } finally {
            idle.add(job);
        }
    }

    private PredictJob borrow() {
        try {
            return idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a network", e);
        }
    }

    private static List<List<String>> tokens(PredictJob job, List<String> texts, PredictRequest request) throws BadRequest {
        List<List<String>> tokens = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            List<String> t = job.tokens(texts.get(i));
            // The model never saw a sequence without tokens in training, so it has no answer for one.
            if (t.isEmpty())
                throw new BadRequest(400, "\"" + request.field(i) + "\" has no tokens (it is empty or only white space)");
            tokens.add(t);
        }
        return tokens;
    }

    private List<Answer> labels(PredictJob job, List<List<String>> tokens) {
        List<Answer> answers = new ArrayList<>(tokens.size());
        for (double[] p : job.classProbabilities(tokens)) {
            Map<String, Double> byLabel = new LinkedHashMap<>();
            for (int id = 0; id < p.length; id++) byLabel.put(run.labels().label(id), p[id]);
            int best = PredictJob.ranked(p).get(0);
            answers.add(new Answer.Labels(run.labels().label(best), p[best], byLabel));
        }
        return answers;
    }

    private static List<Answer> tags(PredictJob job, List<List<String>> tokens) {
        List<List<String>> tags = job.tags(tokens);
        List<Answer> answers = new ArrayList<>(tokens.size());
        for (int i = 0; i < tokens.size(); i++) {
            List<Answer.TaggedToken> tagged = new ArrayList<>(tokens.get(i).size());
            for (int t = 0; t < tokens.get(i).size(); t++)
                tagged.add(new Answer.TaggedToken(tokens.get(i).get(t), tags.get(i).get(t)));
            answers.add(new Answer.Tags(tagged));
        }
        return answers;
    }

    private List<Answer> nextTokens(PredictJob job, List<String> texts, int topK) {
        List<Answer> answers = new ArrayList<>(texts.size());
        for (double[] p : job.nextTokenProbabilities(texts)) {
            Integer[] ranked = PredictJob.rankedTokens(p);
            List<Answer.TokenProbability> next = new ArrayList<>(Math.min(topK, ranked.length));
            for (int i = 0; i < Math.min(topK, ranked.length); i++)
                next.add(new Answer.TokenProbability(run.vocab().token(ranked[i]), p[ranked[i]]));
            answers.add(new Answer.NextTokens(next));
        }
        return answers;
    }

    /** What {@code GET /model} shows. */
    ModelInfo info() {
        var p = run.provenance();
        return new ModelInfo(runDir, version, p.jobName(), p.runId(), run.spec().task().label(),
                run.spec().model().cell().id(), loadedAt.toString(), metrics);
    }

    /** The registry version, or the run id of a run directory given by path: what answers and metrics name. */
    String label() {
        return version != null ? version : run.provenance().runId();
    }

    String version() {
        return version;
    }

    /**
     * @param version null when the run directory was given by path
     * @param metrics the run's {@code metrics.json}; null for a run without one
     */
    record ModelInfo(String runDir, String version, String job, String runId, String task, String cell,
                     String loadedAt, RunMetrics metrics) {}
}
