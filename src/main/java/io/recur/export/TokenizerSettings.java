package io.recur.export;

import io.recur.config.EnumNames;
import io.recur.config.JobSpec;
import io.recur.config.TokenizerKind;
import io.recur.task.CorpusTask;
import io.recur.storage.Json;
import io.recur.vocab.Vocabulary;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;

/**
 * {@code tokenizer.json} of an export: how recur turns a line of text into the ids the model
 * reads, so that a caller outside recur feeds the model what {@code recur predict} would.
 *
 * @param kind              whitespace, word or char (rules: docs/export.md, and io.recur.corpus.Tokenizer)
 * @param lowercase         lower-case after normalisation, locale-independently (Java's Locale.ROOT)
 * @param normalization     "NFC" (word, char) or "none" (whitespace)
 * @param maxSequenceLength the longest sequence the model was trained on
 * @param longerInput       "keep-last": keep the last maxSequenceLength tokens (classify, lm);
 *                          "split": read the line in pieces of maxSequenceLength tokens (tag)
 * @param startWithBos      lm: the ids start with the bos id, so the output at step t predicts token t
 * @param reservedIds       ids with a fixed meaning; an unknown token is unk, padding positions may hold pad
 */
public record TokenizerSettings(String kind, boolean lowercase, String normalization, int maxSequenceLength,
                                String longerInput, boolean startWithBos, ReservedIds reservedIds) {
    static final String FILE = "tokenizer.json";

    /** The four reserved ids of every recur vocabulary. */
    public record ReservedIds(int pad, int unk, int bos, int eos) {}

    /** The settings {@code recur predict} applies for this job. */
    static TokenizerSettings of(JobSpec spec) {
        CorpusTask task = CorpusTask.of(spec.task());
        TokenizerKind kind = task.tokenizer(spec.corpus());
        return new TokenizerSettings(EnumNames.label(kind), spec.corpus().lowercase(),
                kind == TokenizerKind.WHITESPACE ? "none" : "NFC", spec.corpus().maxSequenceLength(),
                task.prediction().longerInput(), task.prediction().startWithBos(),
                new ReservedIds(Vocabulary.PAD_ID, Vocabulary.UNK_ID, Vocabulary.BOS_ID, Vocabulary.EOS_ID));
    }

    void write(OutputStream out) throws IOException {
        Json.write(out, this);
    }

    public static TokenizerSettings read(InputStream in) throws IOException {
        return Json.read(in, TokenizerSettings.class);
    }
}
