package io.recur.data;

import io.recur.config.EnumNames;
import io.recur.config.JobSpec;
import io.recur.config.TableSpec;
import io.recur.config.UserInputException;
import io.recur.config.VocabPolicy;
import io.recur.config.WarmStartSpec;
import io.recur.corpus.Example;
import io.recur.corpus.TokenCount;
import io.recur.model.LegacyLstmParameters;
import io.recur.run.SavedRun;
import io.recur.task.CorpusTask;
import io.recur.task.Labels;
import io.recur.vocab.LabelSet;
import io.recur.vocab.Vocabulary;
import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Decides whether a run continues from an earlier model and with which vocabulary and labels, by
 * {@code warm-start.*}: the policy and the out-of-vocabulary rate of the new training split under
 * the earlier vocabulary; a label the earlier model lacks is an error unless new labels are allowed,
 * which trains from scratch with the union. A model whose shape differs from the spec's, or that
 * was trained on another {@code corpus.source} or other columns, fails unless the policy rebuilds anyway.
 *
 * @param vocab   the token ids to encode with; null: count a new vocabulary
 * @param labels  the classes or tags to predict; null: those of the training split
 * @param parent  the model whose parameters and updater state training starts from; null: from scratch
 * @param outcome what was decided, for the result and {@code metrics.json}
 */
public record WarmStart(Vocabulary vocab, LabelSet labels, SavedRun parent, WarmStartOutcome outcome) {
    private static final String NEW_LABELS = "warm-start.allow-new-labels";

    public static WarmStart none() {
        return new WarmStart(null, null, null, WarmStartOutcome.none());
    }

    /** For a corpus task: {@code train} is the new training split. */
    public static WarmStart plan(JobSpec spec, SavedRun parent, JavaRDD<Example> train) {
        if (parent == null) return none();
        WarmStartSpec ws = spec.warmStart();
        String run = "run " + parent.provenance().runId();
        if (ws.vocabPolicy() != VocabPolicy.REBUILD) requireSameShape(spec, parent);
        double oov = oovRate(train, parent.vocab());
        String oovText = percent(oov);
        if (ws.vocabPolicy() == VocabPolicy.REBUILD)
            return scratch(null, oov, "trained from scratch with a new vocabulary: warm-start.vocab-policy = rebuild"
                    + " (OOV " + oovText + " under " + run + ")");
        if (ws.vocabPolicy() == VocabPolicy.AUTO && oov > ws.maxOovRate())
            return scratch(null, oov, "trained from scratch with a new vocabulary: OOV " + oovText + " under " + run
                    + " > warm-start.max-oov-rate " + percent(ws.maxOovRate()));
        LabelSet labels = parent.labels();
        if (labels != null) {
            Labels kind = CorpusTask.of(spec.task()).labels();
            List<String> added = kind.count(train).stream().map(TokenCount::token).filter(l -> labels.id(l) < 0)
                    .sorted().toList();
            if (!added.isEmpty()) {
                if (!ws.allowNewLabels())
                    throw new UserInputException("corpus.path: the training split has " + kind.word()
                            + (added.size() == 1 ? " '" + added.get(0) + "'" : "s " + added) + " that the warm-start model ("
                            + run + ") lacks; its labels are " + labels.labels() + ". Set " + NEW_LABELS
                            + " = true to train from scratch with the union of labels, or remove those examples");
                TreeSet<String> union = new TreeSet<>(labels.labels());
                union.addAll(added);
                return scratch(new LabelSet(new ArrayList<>(union)), oov, "trained from scratch with the union of labels: "
                        + added + " are new to " + run + " (" + NEW_LABELS + " = true)");
            }
        }
        String why = ws.vocabPolicy() == VocabPolicy.FROZEN
                ? "vocabulary kept (warm-start.vocab-policy = frozen), OOV " + oovText
                : "OOV " + oovText + " <= warm-start.max-oov-rate " + percent(ws.maxOovRate());
        return new WarmStart(parent.vocab(), labels, parent, new WarmStartOutcome(true, oov, "warm start from " + run + "; " + why));
    }

    /** For a synthetic task: generated data has no vocabulary or labels to check. */
    public static WarmStart planGenerated(JobSpec spec, SavedRun parent) {
        if (parent == null) return none();
        String run = "run " + parent.provenance().runId();
        if (spec.warmStart().vocabPolicy() == VocabPolicy.REBUILD)
            return scratch(null, 0, "trained from scratch: warm-start.vocab-policy = rebuild");
        requireSameShape(spec, parent);
        return new WarmStart(null, null, parent, new WarmStartOutcome(true, 0,
                "warm start from " + run + " (generated data: no vocabulary to check)"));
    }

    public boolean used() {
        return parent != null;
    }

    /**
     * Gives {@code net}, built from this run's spec (learning rate, regularization), the parent's
     * parameters, updater state and iteration count; the count matters because Adam's bias
     * correction would otherwise treat the carried-over moments as fresh ones.
     */
    public void copyInto(MultiLayerNetwork net) {
        MultiLayerNetwork from = parent.network();
        if (from.numParams() != net.numParams())
            throw new IllegalStateException("warm start: " + from.numParams() + " parameters in run "
                    + parent.provenance().runId() + " but " + net.numParams() + " in the network of the spec");
        // A parent saved before recur had its own LSTM layer keeps DL4J's gate order; this converts it.
        LegacyLstmParameters.copy(from, net);
        net.getLayerWiseConfigurations().setIterationCount(from.getLayerWiseConfigurations().getIterationCount());
        net.getLayerWiseConfigurations().setEpochCount(from.getLayerWiseConfigurations().getEpochCount());
    }

    private static WarmStart scratch(LabelSet labels, double oov, String decision) {
        return new WarmStart(null, labels, null, new WarmStartOutcome(false, oov, decision));
    }

    /** The keys that must agree for the parent's parameters and vocabulary to fit this spec's network. */
    private static void requireSameShape(JobSpec spec, SavedRun parent) {
        JobSpec old = parent.spec();
        List<String> differ = new ArrayList<>();
        compare(differ, "job.task", old.task(), spec.task());
        compare(differ, "model.cell", old.model().cell(), spec.model().cell());
        compare(differ, "model.layers", old.model().layers(), spec.model().layers());
        compare(differ, "model.hidden-size", old.model().hiddenSize(), spec.model().hiddenSize());
        compare(differ, "model.embedding-size", old.model().embeddingSize(), spec.model().embeddingSize());
        compare(differ, "model.bidirectional", old.model().bidirectional(), spec.model().bidirectional());
        compare(differ, "model.updater", old.model().updater(), spec.model().updater());
        if (!spec.task().synthetic()) {
            compare(differ, "corpus.tokenizer", old.corpus().tokenizer(), spec.corpus().tokenizer());
            compare(differ, "corpus.lowercase", old.corpus().lowercase(), spec.corpus().lowercase());
            // Another container or column is other input to the same token ids: a subject line read with a
            // message vocabulary, tokens split by someone else. Only the filter and the id may change.
            compare(differ, "corpus.source", old.corpus().source(), spec.corpus().source());
            TableSpec was = old.corpus().table(), now = spec.corpus().table();
            compare(differ, "corpus.columns.text", was.textColumn(), now.textColumn());
            compare(differ, "corpus.columns.tokens", was.tokensColumn(), now.tokensColumn());
            compare(differ, "corpus.columns.label", was.labelColumn(), now.labelColumn());
            compare(differ, "corpus.columns.tags", was.tagsColumn(), now.tagsColumn());
        } else {
            compare(differ, "synthetic.steps", old.synthetic().steps(), spec.synthetic().steps());
        }
        if (!differ.isEmpty())
            throw new UserInputException(spec.origin() + ": cannot warm-start from run " + parent.provenance().runId()
                    + ", whose model differs from this spec: " + String.join(", ", differ)
                    + "; make the spec agree with it, or set warm-start.vocab-policy = rebuild to train from scratch");
    }

    private static void compare(List<String> differ, String key, Object old, Object now) {
        if (!old.equals(now))
            differ.add(key + " = " + format(now) + " (the model has " + format(old) + ")");
    }

    private static String format(Object value) {
        if (value instanceof String text) return "\"" + text + "\"";
        return value instanceof Enum<?> e ? EnumNames.label(e) : String.valueOf(value);
    }

    /** Tokens of the training split that {@code vocab} maps to the unknown id, over all its tokens. */
    static double oovRate(JavaRDD<Example> train, Vocabulary vocab) {
        long[] counts = train
                .map(e -> {
                    long unknown = 0;
                    for (String t : e.tokens()) if (!vocab.contains(t)) unknown++;
                    return new long[]{unknown, e.tokens().size()};
                })
                .fold(new long[]{0, 0}, (a, b) -> new long[]{a[0] + b[0], a[1] + b[1]});
        return counts[1] == 0 ? 0 : counts[0] / (double) counts[1];
    }

    private static String percent(double rate) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * rate);
    }
}
