package io.recur.task;

import io.recur.baseline.StrongBaseline;
import io.recur.baseline.TfIdfLogisticRegression;
import io.recur.config.Task;
import io.recur.config.TokenizerKind;
import io.recur.encode.SequenceEncoder;
import io.recur.eval.Metric;
import io.recur.eval.Scoring;
import io.recur.model.OutputHead;
import io.recur.vocab.LabelSet;
import io.recur.vocab.Vocabulary;

import java.util.List;

/** One label per example, predicted from the whole sequence (classify, a {@code label<TAB>text} corpus). */
public record Classification() implements CorpusTask {
    @Override
    public Task name() {
        return Task.CLASSIFY;
    }

    @Override
    public Metric headline() {
        return Metric.ACCURACY;
    }

    @Override
    public List<Metric> reported() {
        return List.of(Metric.ACCURACY, Metric.MACRO_F1, Metric.CROSS_ENTROPY);
    }

    @Override
    public OutputHead head() {
        return OutputHead.CLASS_AT_LAST_STEP;
    }

    @Override
    public Scoring scoring() {
        return Scoring.CLASS_PER_SEQUENCE;
    }

    @Override
    public List<ReportSection> sections() {
        return List.of(ReportSection.CLASSES);
    }

    @Override
    public Labels labels() {
        return Labels.CLASSES;
    }

    @Override
    public SequenceEncoder encoder(Vocabulary vocab, LabelSet labels, boolean oneHotInput) {
        return SequenceEncoder.forClassification(vocab, labels, oneHotInput);
    }

    @Override
    public Prediction prediction() {
        return Prediction.LABELS;
    }

    @Override
    public StrongBaseline strongBaseline(TokenizerKind tokenizer, Vocabulary vocab, LabelSet labels) {
        return new TfIdfLogisticRegression(labels, tokenizer == TokenizerKind.CHAR);
    }
}
