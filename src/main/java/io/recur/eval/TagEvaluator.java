package io.recur.eval;

import io.recur.corpus.Example;
import io.recur.encode.LengthBatcher;
import io.recur.encode.SequenceEncoder;
import io.recur.vocab.LabelSet;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.io.ByteArrayInputStream;
import java.io.Serializable;
import java.util.List;

/**
 * Scores a tagger and the {@link MostFrequentTag} baseline on the same held-out tokens, on the
 * executors. It reads examples rather than encoded batches because whether a token is unseen, and
 * what the baseline predicts, depend on the word itself, which the vocabulary may have mapped to
 * the unknown id.
 */
public final class TagEvaluator implements Serializable {
    private static final double MIN_PROBABILITY = 1e-12;
    private final SequenceEncoder encoder;
    private final LabelSet tags;
    private final int batchSize;

    /** @param encoder a {@link SequenceEncoder#forTagging tagging} encoder over {@code tags} */
    public TagEvaluator(SequenceEncoder encoder, LabelSet tags, int batchSize) {
        this.encoder = encoder;
        this.tags = tags;
        this.batchSize = batchSize;
    }

    /** The model's tally and the baseline's, over the same tokens. */
    public record Result(TagTally model, TagTally baseline) implements Serializable {
        Result merge(Result other) {
            return new Result(model.merge(other.model), baseline.merge(other.baseline));
        }
    }

    public Result evaluate(JavaSparkContext sc, MultiLayerNetwork net, JavaRDD<Example> heldOut,
                           MostFrequentTag baseline) {
        for (String tag : baseline.tags())
            if (tags.id(tag) < 0)
                throw new IllegalArgumentException("the baseline predicts tag '" + tag + "', which is not one of the"
                        + " model's " + tags.size() + " tags; fit both on the same training split");
        Broadcast<byte[]> model = sc.broadcast(HeldOutEvaluator.serialize(net));
        Broadcast<MostFrequentTag> words = sc.broadcast(baseline);
        try {
            return heldOut.mapPartitions(it -> {
                Result result = new Result(new TagTally(tags.size()), new TagTally(tags.size()));
                if (!it.hasNext()) return List.of(result).iterator();
                MultiLayerNetwork local = ModelSerializer.restoreMultiLayerNetwork(
                        new ByteArrayInputStream(model.value()), false);
                // The order of the batches does not matter for scoring; bucketing only cuts padding.
                for (List<Example> batch : new LengthBatcher(batchSize, true, encoder::steps).batches(it, 0)) {
                    DataSet ds = encoder.encode(batch);
                    INDArray out = local.output(ds.getFeatures(), false, ds.getFeaturesMaskArray(), null);
                    score(out, batch, words.value(), result);
                }
                return List.of(result).iterator();
            }).reduce(Result::merge);
        } finally {
            model.destroy();
            words.destroy();
        }
    }

    /**
     * Adds one batch: {@code out} is the softmax {@code [batch, tags, steps]} of the network for
     * {@code batch} in order. Only each example's own tokens are read, so padding never counts.
     */
    void score(INDArray out, List<Example> batch, MostFrequentTag baseline, Result result) {
        INDArray best = out.argMax(1);
        for (int i = 0; i < batch.size(); i++) {
            Example e = batch.get(i);
            result.model().examples++;
            result.baseline().examples++;
            for (int t = 0; t < e.tokens().size(); t++) {
                int actual = tags.id(e.tags().get(t));
                if (actual < 0) {
                    result.model().unknownTags++;
                    result.baseline().unknownTags++;
                    continue;
                }
                String word = e.tokens().get(t);
                boolean unseen = !baseline.seen(word);
                result.model().add(actual, best.getInt(i, t), unseen);
                result.model().nllNats -= Math.log(Math.max(MIN_PROBABILITY, out.getDouble(i, actual, t)));
                result.baseline().add(actual, tags.id(baseline.tag(word)), unseen);
            }
        }
    }
}
