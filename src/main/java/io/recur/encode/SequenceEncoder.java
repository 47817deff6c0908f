package io.recur.encode;

import io.recur.corpus.Example;
import io.recur.vocab.LabelSet;
import io.recur.vocab.Vocabulary;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;

/**
 * Encodes a batch of examples as one DL4J {@link DataSet}, padded to the batch's longest
 * sequence with feature (and, for language models, label) masks marking the real steps.
 *
 * <p>Inputs are token ids shaped {@code [batch, 1, steps]} for an embedding layer, or one-hot
 * {@code [batch, vocab, steps]}. Classification labels are one-hot {@code [batch, classes]}
 * (read at the last real step). Language-model targets are the next token's id,
 * {@code [batch, 1, steps]}, for a sparse cross-entropy loss: a one-hot target over a word
 * vocabulary would be thousands of times larger than the input. Tagging targets are the tag ids
 * of the tokens, {@code [batch, 1, steps]}, with a label mask equal to the feature mask except at
 * a token whose tag is not in the tag set: that token is still read as input but not scored.
 */
public final class SequenceEncoder implements Serializable {
    /** Where the targets sit: one per sequence, or one per step (the next token, or the token's tag). */
    private enum Layout { LABEL, NEXT_TOKEN, TAG }

    private final Layout layout;
    private final Vocabulary vocab;
    private final LabelSet labels;
    private final boolean oneHotInput;
    /** {@link LabelSet#id} as a hash lookup: a tagger looks up every token's tag. */
    private final HashMap<String, Integer> labelIds = new HashMap<>();

    private SequenceEncoder(Layout layout, Vocabulary vocab, LabelSet labels, boolean oneHotInput) {
        this.layout = layout;
        this.vocab = vocab;
        this.labels = labels;
        this.oneHotInput = oneHotInput;
        if (labels != null) for (int id = 0; id < labels.size(); id++) labelIds.put(labels.label(id), id);
    }

    public static SequenceEncoder forClassification(Vocabulary vocab, LabelSet labels, boolean oneHotInput) {
        return new SequenceEncoder(Layout.LABEL, vocab, labels, oneHotInput);
    }

    public static SequenceEncoder forLanguageModel(Vocabulary vocab, boolean oneHotInput) {
        return new SequenceEncoder(Layout.NEXT_TOKEN, vocab, null, oneHotInput);
    }

    /** @param tags the tag set of the training split; {@link LabelSet#id} gives the output column */
    public static SequenceEncoder forTagging(Vocabulary vocab, LabelSet tags, boolean oneHotInput) {
        return new SequenceEncoder(Layout.TAG, vocab, tags, oneHotInput);
    }

    /** False for a classification example whose label the model does not know. */
    public boolean canEncode(Example e) {
        return layout != Layout.LABEL || labelIds.containsKey(e.label());
    }

    /**
     * Time steps the example occupies: its tokens, plus the end-of-sequence target for a
     * language model (BOS is fed in, EOS predicted), unless it was truncated.
     */
    public int steps(Example e) {
        int n = e.tokens().size();
        return layout == Layout.NEXT_TOKEN && !e.truncated() ? n + 1 : n;
    }

    public DataSet encode(List<Example> batch) {
        int b = batch.size();
        int steps = 0;
        for (Example e : batch) steps = Math.max(steps, steps(e));
        // Filled as Java arrays in 'c' order and copied once: a putScalar per step cost more than the
        // rest of preprocessing together. Only a one-hot input, which can be large and is sparse, is
        // written into a zeroed array.
        INDArray oneHot = oneHotInput ? Nd4j.zeros(DataType.FLOAT, b, vocab.size(), steps) : null;
        float[] inputIds = oneHotInput ? null : new float[b * steps];
        float[] featureMask = new float[b * steps];
        float[] target = new float[layout == Layout.LABEL ? b * labels.size() : b * steps];
        float[] labelMask = layout == Layout.LABEL ? null : new float[b * steps];
        for (int i = 0; i < b; i++) {
            Example e = batch.get(i);
            int[] ids = vocab.encode(e.tokens());
            int n = steps(e);
            for (int t = 0; t < n; t++) {
                int at = i * steps + t;
                int input = layout == Layout.NEXT_TOKEN ? (t == 0 ? Vocabulary.BOS_ID : ids[t - 1]) : ids[t];
                if (oneHotInput) oneHot.putScalar(new long[]{i, input, t}, 1f);
                else inputIds[at] = input;
                featureMask[at] = 1f;
                if (layout == Layout.NEXT_TOKEN) {
                    target[at] = t < ids.length ? ids[t] : Vocabulary.EOS_ID;
                    labelMask[at] = 1f;
                } else if (layout == Layout.TAG) {
                    int tag = labelIds.getOrDefault(e.tags().get(t), -1);
                    if (tag >= 0) {
                        target[at] = tag;
                        labelMask[at] = 1f;
                    }
                }
            }
            if (layout == Layout.LABEL) {
                int label = labelIds.getOrDefault(e.label(), -1);
                if (label < 0)
                    throw new IllegalArgumentException(e.source() + ": label '" + e.label() + "' is not one of " + labels.labels());
                target[i * labels.size() + label] = 1f;
            }
        }
        INDArray features = oneHotInput ? oneHot : Nd4j.create(inputIds, new long[]{b, 1, steps}, 'c');
        INDArray targets = layout == Layout.LABEL
                ? Nd4j.create(target, new long[]{b, labels.size()}, 'c')
                : Nd4j.create(target, new long[]{b, 1, steps}, 'c');
        return new DataSet(features, targets, Nd4j.create(featureMask, new long[]{b, steps}, 'c'),
                labelMask == null ? null : Nd4j.create(labelMask, new long[]{b, steps}, 'c'));
    }
}
