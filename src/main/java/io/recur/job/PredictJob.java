package io.recur.job;

import io.recur.config.Task;
import io.recur.config.UserInputException;
import io.recur.config.TokenizerKind;
import io.recur.corpus.Example;
import io.recur.corpus.Split;
import io.recur.corpus.Tokenizer;
import io.recur.encode.SequenceEncoder;
import io.recur.vocab.Vocabulary;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.stream.IntStream;

/**
 * Predictions for single lines of raw text, in this JVM: the most likely label of a classifier,
 * the most likely next tokens of a language model, or the most likely tag of each token.
 */
public final class PredictJob {
    private final SavedRun run;
    private final Tokenizer tokenizer;
    private final SequenceEncoder encoder;
    private final int topK;

    public PredictJob(SavedRun run, int topK) {
        if (run.spec().task().synthetic())
            throw new UserInputException("--model: run " + run.provenance().jobName() + "/" + run.provenance().runId()
                    + " was trained on the generated job.task = " + run.spec().task().name().toLowerCase().replace('_', '-')
                    + ", which has no text to predict; its held-out scores are in the run's metrics.json");
        this.run = run;
        this.topK = topK;
        var c = run.spec().corpus();
        // A tagged corpus is read split on white space whatever corpus.tokenizer says.
        this.tokenizer = run.spec().task() == Task.TAG
                ? Tokenizer.of(TokenizerKind.WHITESPACE, false)
                : Tokenizer.of(c.tokenizer(), c.lowercase());
        this.encoder = SequenceEncoder.forTask(run.spec().task(), run.vocab(), run.labels(),
                run.spec().model().embeddingSize() == 0);
    }

    /**
     * One output line: {@code label<TAB>probability}, {@code token:probability} pairs, or
     * {@code token/TAG} for each token separated by spaces.
     */
    public String predict(String line) {
        List<String> tokens = tokenizer.tokenize(line);
        if (run.spec().task() == Task.TAG) return tag(tokens);
        int max = run.spec().corpus().maxSequenceLength();
        if (tokens.size() > max) tokens = tokens.subList(tokens.size() - max, tokens.size());
        if (tokens.isEmpty() && run.spec().task() == Task.CLASSIFY) return "";
        boolean classify = run.spec().task() == Task.CLASSIFY;
        // Truncated = true keeps the LM encoder from appending an end-of-sequence step.
        Example e = new Example("stdin", classify ? run.labels().label(0) : null, tokens, null, true, Split.TEST);
        DataSet ds = encoder.encode(List.of(e));
        INDArray out = run.network().output(ds.getFeatures(), false, ds.getFeaturesMaskArray(), null);
        if (classify) {
            int best = out.argMax(1).getInt(0);
            return String.format(Locale.ROOT, "%s\t%.4f", run.labels().label(best), out.getDouble(0, best));
        }
        INDArray last = out.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.point(out.size(2) - 1));
        List<Integer> ids = new ArrayList<>(IntStream.range(0, (int) last.length()).boxed().toList());
        ids.removeIf(id -> id == Vocabulary.PAD_ID || id == Vocabulary.BOS_ID);
        ids.sort(Comparator.comparingDouble((Integer id) -> -last.getDouble(id)));
        StringJoiner joined = new StringJoiner("\t");
        for (int id : ids.subList(0, Math.min(topK, ids.size())))
            joined.add(String.format(Locale.ROOT, "%s:%.4f", run.vocab().token(id), last.getDouble(id)));
        return joined.toString();
    }

    private String tag(List<String> tokens) {
        StringJoiner tagged = new StringJoiner(" ");
        int max = run.spec().corpus().maxSequenceLength();
        // Long lines are tagged in pieces of the length the model was trained on.
        for (int from = 0; from < tokens.size(); from += max) {
            List<String> piece = tokens.subList(from, Math.min(tokens.size(), from + max));
            List<String> words = run.spec().corpus().lowercase()
                    ? piece.stream().map(w -> w.toLowerCase(Locale.ROOT)).toList() : piece;
            // The tags are placeholders: only the features are read.
            Example e = new Example("stdin", null, words, Collections.nCopies(words.size(), run.labels().label(0)),
                    false, Split.TEST);
            DataSet ds = encoder.encode(List.of(e));
            INDArray best = run.network().output(ds.getFeatures(), false, ds.getFeaturesMaskArray(), null).argMax(1);
            for (int t = 0; t < piece.size(); t++) tagged.add(piece.get(t) + "/" + run.labels().label(best.getInt(0, t)));
        }
        return tagged.toString();
    }
}
