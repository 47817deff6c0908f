package io.recur.task;

import io.recur.baseline.StrongBaseline;
import io.recur.baseline.SuffixTagger;
import io.recur.config.CorpusSpec;
import io.recur.config.Task;
import io.recur.config.TokenizerKind;
import io.recur.encode.SequenceEncoder;
import io.recur.eval.Metric;
import io.recur.eval.Scoring;
import io.recur.model.OutputHead;
import io.recur.vocab.LabelSet;
import io.recur.vocab.Vocabulary;

import java.util.List;

/** One tag per token (tag, a {@code word/TAG} corpus): part-of-speech tagging. */
public record Tagging() implements CorpusTask {
    @Override
    public Task name() {
        return Task.TAG;
    }

    @Override
    public Metric headline() {
        return Metric.TOKEN_ACCURACY;
    }

    @Override
    public List<Metric> reported() {
        return List.of(Metric.TOKEN_ACCURACY, Metric.UNSEEN_TOKEN_ACCURACY, Metric.MACRO_F1, Metric.CROSS_ENTROPY);
    }

    @Override
    public OutputHead head() {
        return OutputHead.CLASS_PER_STEP;
    }

    @Override
    public Scoring scoring() {
        return Scoring.CLASS_PER_STEP;
    }

    @Override
    public List<ReportSection> sections() {
        return List.of(ReportSection.TAGS);
    }

    @Override
    public Labels labels() {
        return Labels.TAGS;
    }

    @Override
    public SequenceEncoder encoder(Vocabulary vocab, LabelSet labels, boolean oneHotInput) {
        return SequenceEncoder.forTagging(vocab, labels, oneHotInput);
    }

    @Override
    public Prediction prediction() {
        return Prediction.TAGS;
    }

    /** A tagged corpus is split on white space whatever {@code corpus.tokenizer} says: one word, one tag. */
    @Override
    public TokenizerKind tokenizer(CorpusSpec corpus) {
        return TokenizerKind.WHITESPACE;
    }

    @Override
    public StrongBaseline strongBaseline(TokenizerKind tokenizer, Vocabulary vocab, LabelSet labels) {
        return new SuffixTagger(labels);
    }
}
