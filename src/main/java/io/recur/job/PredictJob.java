package io.recur.job;

import io.recur.config.UserInputException;
import io.recur.corpus.Example;
import io.recur.corpus.RecordLayout;
import io.recur.corpus.Split;
import io.recur.corpus.Tokenizer;
import io.recur.encode.SequenceEncoder;
import io.recur.eval.HeldOutEvaluator;
import io.recur.run.SavedRun;
import io.recur.task.CorpusTask;
import io.recur.task.Prediction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.stream.IntStream;

/**
 * Predictions for single lines of raw text, in this JVM: the most likely labels of a classifier,
 * the most likely next tokens of a language model, or the most likely tag of each token. Every
 * input line gets exactly one output line; a line with nothing to answer gets a marker line.
 */
public final class PredictJob {
    /** The answer to a line whose bytes are not UTF-8. */
    public static final String NOT_UTF8 = "# not UTF-8";
    /** A classifier's or tagger's answer to a line without tokens (a language model answers it). */
    public static final String NO_TOKENS = "# empty line";
    private final SavedRun run;
    private final Prediction prediction;
    private final Tokenizer tokenizer;
    private final SequenceEncoder encoder;
    private final GenerateJob nextToken;
    private final int topK;

    /** @param topK labels or next tokens to list; null for the task's default */
    public PredictJob(SavedRun run, Integer topK) {
        if (run.spec().task().synthetic())
            throw new UserInputException("--model: run " + run.provenance().jobName() + "/" + run.provenance().runId()
                    + " was trained on the generated job.task = " + run.spec().task().label()
                    + ", which has no text to predict; its held-out scores are in the run's metrics.json");
        CorpusTask task = CorpusTask.of(run.spec().task());
        prediction = task.prediction();
        if (topK != null && topK < 1)
            throw new UserInputException("--top-k " + topK + ": list at least 1 " + task.labels().word());
        if (topK != null && prediction.defaultTopK() == 0)
            throw new UserInputException("--top-k " + topK + ": a tagger prints the one most likely tag of each token; "
                    + "leave --top-k out");
        this.run = run;
        this.topK = topK != null ? topK : prediction.defaultTopK();
        var c = run.spec().corpus();
        // A tagger looks its words up lowercased if the corpus was, but prints them as they came.
        this.tokenizer = RecordLayout.forInput(c, task.tokenizer(c), prediction != Prediction.TAGS && c.lowercase());
        boolean nextTokens = prediction == Prediction.NEXT_TOKENS;
        this.encoder = task.encoder(run.vocab(), run.labels(), run.spec().model().embeddingSize() == 0);
        // A language model's next token is what generate would continue the line with, so both share the prompt's encoding.
        this.nextToken = nextTokens ? new GenerateJob(run) : null;
    }

    /** The output line for one input line: {@link #NOT_UTF8} when it could not be decoded. */
    public String predict(PredictInput.Line line) {
        return line.decodable() ? predict(line.text()) : NOT_UTF8;
    }

    /**
     * One output line: {@code label<TAB>probability} pairs, {@code token:probability} pairs
     * separated by tabs, or {@code token/TAG} for each token separated by spaces.
     */
    public String predict(String line) {
        return switch (prediction) {
            case NEXT_TOKENS -> nextTokens(line);
            case LABELS -> classify(tokens(line));
            case TAGS -> tag(tokens(line));
        };
    }

    /** The distribution of the token after the whole line ({@code <bos>} alone for an empty line). */
    private String nextTokens(String line) {
        double[] p = nextToken.nextTokenProbabilities(line);
        Integer[] ranked = TokenSampler.ranked(p);
        StringJoiner joined = new StringJoiner("\t");
        for (int i = 0; i < Math.min(topK, ranked.length); i++)
            joined.add(String.format(Locale.ROOT, "%s:%.4f", printable(run.vocab().token(ranked[i])), p[ranked[i]]));
        return joined.toString();
    }

    private String classify(List<String> tokens) {
        if (tokens.isEmpty()) return NO_TOKENS;
        double[] p = classProbabilities(tokens);
        List<Integer> ranked = ranked(p);
        StringJoiner joined = new StringJoiner("\t");
        for (int id : ranked.subList(0, Math.min(topK, ranked.size())))
            joined.add(String.format(Locale.ROOT, "%s\t%.4f", run.labels().label(id), p[id]));
        return joined.toString();
    }

    private String tag(List<String> tokens) {
        if (tokens.isEmpty()) return NO_TOKENS;
        List<String> tags = tags(tokens);
        StringJoiner tagged = new StringJoiner(" ");
        for (int t = 0; t < tokens.size(); t++) tagged.add(printable(tokens.get(t)) + "/" + tags.get(t));
        return tagged.toString();
    }

    /**
     * The tokens of a line as the model reads them: its text as the corpus's layout found it (from
     * {@code corpus.text-field} on), split by {@code corpus.tokenizer}, or at white space for a tagger
     * and for a corpus of ready-made tokens.
     */
    public List<String> tokens(String line) {
        return tokenizer.tokenize(line);
    }

    /**
     * A classifier's probability of each label (in {@link io.recur.vocab.LabelSet} order) for a
     * line's tokens, of which it reads the first {@code corpus.max-sequence-length}, as training did.
     */
    public double[] classProbabilities(List<String> tokens) {
        return classProbabilities(List.of(tokens)).get(0);
    }

    /** {@link #classProbabilities(List)} of several lines, in one network call. */
    public List<double[]> classProbabilities(Collection<List<String>> lines) {
        int max = run.spec().corpus().maxSequenceLength();
        List<Example> batch = new ArrayList<>(lines.size());
        for (List<String> tokens : lines) {
            if (tokens.isEmpty()) throw new IllegalArgumentException("a classifier answers a line with tokens");
            // The classifier was trained on the first max tokens of longer lines (corpus truncation keeps the start).
            if (tokens.size() > max) tokens = tokens.subList(0, max);
            batch.add(new Example("stdin", run.labels().label(0), tokens, null, true, Split.TEST));
        }
        DataSet ds = encoder.encode(batch);
        INDArray out = run.network().output(ds.getFeatures(), false, ds.getFeaturesMaskArray(), null);
        List<double[]> p = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) p.add(out.getRow(i).toDoubleVector());
        return p;
    }

    /** Label ids by falling probability, the lower id first among equal ones: the order {@code --top-k} lists. */
    public static List<Integer> ranked(double[] p) {
        return IntStream.range(0, p.length).boxed()
                .sorted((a, b) -> a.equals(b) ? 0 : p[b] != p[a] ? Double.compare(p[b], p[a]) : Integer.compare(a, b))
                .toList();
    }

    /** A tagger's most likely tag for each of a line's tokens. */
    public List<String> tags(List<String> tokens) {
        return tags(List.of(tokens)).get(0);
    }

    /** {@link #tags(List)} of several lines, in one network call. */
    public List<List<String>> tags(Collection<List<String>> lines) {
        int max = run.spec().corpus().maxSequenceLength();
        List<Example> pieces = new ArrayList<>();
        for (List<String> tokens : lines) {
            // Long lines are tagged in pieces of the length the model was trained on.
            for (int from = 0; from < tokens.size(); from += max) {
                List<String> piece = tokens.subList(from, Math.min(tokens.size(), from + max));
                List<String> words = run.spec().corpus().lowercase()
                        ? piece.stream().map(w -> w.toLowerCase(Locale.ROOT)).toList() : piece;
                // The tags are placeholders: only the features are read.
                pieces.add(new Example("stdin", null, words, Collections.nCopies(words.size(), run.labels().label(0)),
                        false, Split.TEST));
            }
        }
        List<List<String>> tagged = new ArrayList<>(lines.size());
        if (pieces.isEmpty()) {
            for (int i = 0; i < lines.size(); i++) tagged.add(List.of());
            return tagged;
        }
        DataSet ds = encoder.encode(pieces);
        INDArray best = run.network().output(ds.getFeatures(), false, ds.getFeaturesMaskArray(), null).argMax(1);
        int row = 0;
        for (List<String> tokens : lines) {
            List<String> tags = new ArrayList<>(tokens.size());
            for (int from = 0; from < tokens.size(); from += max, row++)
                for (int t = 0; t < Math.min(max, tokens.size() - from); t++)
                    tags.add(run.labels().label(best.getInt(row, t)));
            tagged.add(tags);
        }
        return tagged;
    }

    /**
     * A language model's distribution of the token after each whole line, in one network call:
     * what {@code predict} lists for each, up to float rounding (it steps through a line alone).
     */
    public List<double[]> nextTokenProbabilities(List<String> lines) {
        return nextToken.nextTokenProbabilities(lines);
    }

    /** Token ids by falling probability, the reserved ids that are never emitted left out: the order {@code predict} lists. */
    public static Integer[] rankedTokens(double[] p) {
        return TokenSampler.ranked(p);
    }

    /**
     * How well a language model predicts a line.
     *
     * @param crossEntropy mean negative log-likelihood in nats of each prediction
     * @param predictions  the tokens predicted: each token, and {@code <eos>} unless the line was truncated
     * @param truncated    whether the line had more than {@code corpus.max-sequence-length} tokens, of which
     *                     only the first were read (as training read such a line)
     */
    public record LineLoss(double crossEntropy, int predictions, boolean truncated) {
        public double perplexity() {
            return Math.exp(crossEntropy);
        }
    }

    /**
     * A language model's loss on a line's tokens, computed as evaluation computes it: {@code <bos>}
     * fed first, each token and then {@code <eos>} predicted, probabilities floored at
     * {@link HeldOutEvaluator#MIN_PROBABILITY}, the line cut to {@code corpus.max-sequence-length} tokens.
     */
    public LineLoss loss(List<String> tokens) {
        return loss(List.of(tokens)).get(0);
    }

    /** {@link #loss(List)} of several lines, in one network call (the mask keeps each line to its own steps). */
    public List<LineLoss> loss(Collection<List<String>> lines) {
        int max = run.spec().corpus().maxSequenceLength();
        List<Example> batch = new ArrayList<>(lines.size());
        for (List<String> tokens : lines) {
            if (tokens.isEmpty()) throw new IllegalArgumentException("a line's loss needs a token");
            boolean truncated = tokens.size() > max;
            batch.add(new Example("line", null, truncated ? tokens.subList(0, max) : tokens, null, truncated, Split.TEST));
        }
        DataSet ds = encoder.encode(batch);
        INDArray out = run.network().output(ds.getFeatures(), false, ds.getFeaturesMaskArray(), null);
        INDArray targets = ds.getLabels();
        List<LineLoss> losses = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Example e = batch.get(i);
            int steps = encoder.steps(e);
            double nll = 0;
            for (int t = 0; t < steps; t++)
                nll -= Math.log(Math.max(HeldOutEvaluator.MIN_PROBABILITY, out.getDouble(i, targets.getInt(i, 0, t), t)));
            losses.add(new LineLoss(nll / steps, steps, e.truncated()));
        }
        return losses;
    }

    /** A token as printed: control characters escaped, so that no token can break the line or its columns. */
    static String printable(String token) {
        StringBuilder out = new StringBuilder(token.length());
        token.codePoints().forEach(cp -> {
            switch (cp) {
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029)
                        out.append(String.format(Locale.ROOT, "\\u%04X", cp));
                    else out.appendCodePoint(cp);
                }
            }
        });
        return out.toString();
    }
}
