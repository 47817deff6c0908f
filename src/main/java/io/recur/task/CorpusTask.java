package io.recur.task;

import io.recur.baseline.StrongBaseline;
import io.recur.config.CorpusSpec;
import io.recur.config.Task;
import io.recur.config.TokenizerKind;
import io.recur.encode.SequenceEncoder;
import io.recur.vocab.LabelSet;
import io.recur.vocab.Vocabulary;

/** A task that reads its examples from a corpus: classify, lm, tag. */
public sealed interface CorpusTask extends TaskKind permits Classification, LanguageModel, Tagging {

    /** The class of a corpus task; a generated task is refused. */
    static CorpusTask of(Task name) {
        if (TaskKind.of(name) instanceof CorpusTask task) return task;
        throw new IllegalArgumentException("job.task = " + name.label() + " generates its examples; it reads no corpus");
    }

    /** What the outputs are besides tokens: classes, tags or nothing. */
    Labels labels();

    /** @param labels the output columns of {@link #labels()}; null for {@link Labels#NONE} */
    SequenceEncoder encoder(Vocabulary vocab, LabelSet labels, boolean oneHotInput);

    /** Output units: the labels, or the vocabulary when there are none. */
    default int outputSize(Vocabulary vocab, LabelSet labels) {
        return labels() == Labels.NONE ? vocab.size() : labels.size();
    }

    /** What {@code recur predict} prints for a line. */
    Prediction prediction();

    /**
     * The non-neural predictor the network is measured against ({@code eval.strong-baseline}),
     * over the network's vocabulary and labels.
     *
     * @param tokenizer what a token is, from {@link #tokenizer}
     */
    StrongBaseline strongBaseline(TokenizerKind tokenizer, Vocabulary vocab, LabelSet labels);

    /** How a line of this task's corpus (and of {@code predict}'s input) is split into tokens. */
    default TokenizerKind tokenizer(CorpusSpec corpus) {
        return corpus.textTokenizer();
    }
}
