package io.recur.task;

import io.recur.baseline.NgramLanguageModel;
import io.recur.baseline.StrongBaseline;
import io.recur.config.Task;
import io.recur.config.TokenizerKind;
import io.recur.encode.SequenceEncoder;
import io.recur.eval.Metric;
import io.recur.eval.Scoring;
import io.recur.model.OutputHead;
import io.recur.vocab.LabelSet;
import io.recur.vocab.Vocabulary;

import java.util.List;

/**
 * The next token at every step (lm, a text corpus). Judged by bits per token rather than
 * perplexity: the two order runs alike, and bits per character is how character models are compared.
 */
public record LanguageModel() implements CorpusTask {
    @Override
    public Task name() {
        return Task.LM;
    }

    @Override
    public Metric headline() {
        return Metric.BITS_PER_TOKEN;
    }

    @Override
    public List<Metric> reported() {
        return List.of(Metric.BITS_PER_TOKEN, Metric.PERPLEXITY, Metric.CROSS_ENTROPY);
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
        return List.of(ReportSection.SAMPLES);
    }

    @Override
    public Labels labels() {
        return Labels.NONE;
    }

    @Override
    public SequenceEncoder encoder(Vocabulary vocab, LabelSet labels, boolean oneHotInput) {
        return SequenceEncoder.forLanguageModel(vocab, oneHotInput);
    }

    @Override
    public Prediction prediction() {
        return Prediction.NEXT_TOKENS;
    }

    @Override
    public StrongBaseline strongBaseline(TokenizerKind tokenizer, Vocabulary vocab, LabelSet labels) {
        return new NgramLanguageModel(vocab);
    }
}
