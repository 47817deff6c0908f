package io.recur.encode;

import io.recur.corpus.Example;
import io.recur.corpus.Split;
import io.recur.vocab.LabelSet;
import io.recur.vocab.Vocabulary;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

@DisplayName("SequenceEncoder")
class SequenceEncoderTest {
    private static final Vocabulary VOCAB = Vocabulary.of(List.of("a", "b", "c"), List.of(3L, 2L, 1L));
    private static final LabelSet LABELS = new LabelSet(List.of("ham", "spam"));

    private static Example ex(String label, boolean truncated, String... tokens) {
        return new Example("test:1", label, List.of(tokens), null, truncated, Split.TRAIN);
    }

    @Nested
    @DisplayName("for classification")
    class Classification {
        private final SequenceEncoder encoder = SequenceEncoder.forClassification(VOCAB, LABELS, false);

        @Test
        void padsToTheLongestSequenceAndMasksThePadding() {
            DataSet ds = encoder.encode(List.of(ex("ham", false, "a", "b", "c"), ex("spam", false, "b")));
            assertArrayEquals(new long[]{2, 1, 3}, ds.getFeatures().shape());
            assertArrayEquals(new float[]{1, 1, 1, 1, 0, 0}, ds.getFeaturesMaskArray().data().asFloat());
            assertArrayEquals(new float[]{4, 5, 6, 5, 0, 0}, ds.getFeatures().dup().data().asFloat());
        }

        @Test
        void labelsAreOneHotInLabelSetOrder() {
            DataSet ds = encoder.encode(List.of(ex("spam", false, "a")));
            assertArrayEquals(new float[]{0, 1}, ds.getLabels().data().asFloat());
        }

        @Test
        void cannotEncodeALabelTheModelNeverSaw() {
            assertFalse(encoder.canEncode(ex("eggs", false, "a")));
            assertThrows(IllegalArgumentException.class, () -> encoder.encode(List.of(ex("eggs", false, "a"))));
        }

        @Test
        void oneHotInputHasAColumnPerVocabularyId() {
            DataSet ds = SequenceEncoder.forClassification(VOCAB, LABELS, true).encode(List.of(ex("ham", false, "c", "zzz")));
            assertArrayEquals(new long[]{1, VOCAB.size(), 2}, ds.getFeatures().shape());
            assertEquals(1.0, ds.getFeatures().getDouble(0, 6, 0));
            assertEquals(1.0, ds.getFeatures().getDouble(0, Vocabulary.UNK_ID, 1));
        }
    }

    @Test
    @DisplayName("survives Spark's Kryo with recur's registrators, as a broadcast on a cluster does")
    void survivesKryoAsABroadcast() {
        SparkConf conf = new SparkConf(false).set("spark.kryo.registrator",
                "org.nd4j.kryo.Nd4jRegistrator,io.recur.corpus.RecordKryoRegistrator");
        SerializerInstance kryo = new KryoSerializer(conf).newInstance();
        ClassTag<SequenceEncoder> type = ClassTag$.MODULE$.apply(SequenceEncoder.class);
        SequenceEncoder encoder = SequenceEncoder.forClassification(VOCAB, LABELS, false);
        SequenceEncoder copy = kryo.deserialize(kryo.serialize(encoder, type), type);
        List<Example> batch = List.of(ex("spam", false, "a", "c", "zzz"), ex("ham", false, "b"));
        assertEquals(encoder.encode(batch), copy.encode(batch));
    }

    @Nested
    @DisplayName("for language models")
    class LanguageModel {
        private final SequenceEncoder encoder = SequenceEncoder.forLanguageModel(VOCAB, false);

        @Test
        void feedsBeginningOfSequenceAndPredictsEachNextTokenThenTheEnd() {
            DataSet ds = encoder.encode(List.of(ex(null, false, "a", "b")));
            assertArrayEquals(new float[]{Vocabulary.BOS_ID, 4, 5}, ds.getFeatures().dup().data().asFloat());
            assertArrayEquals(new float[]{4, 5, Vocabulary.EOS_ID}, ds.getLabels().dup().data().asFloat());
            assertArrayEquals(new float[]{1, 1, 1}, ds.getLabelsMaskArray().data().asFloat());
        }

        @Test
        void doesNotPredictTheEndOfATruncatedSequence() {
            DataSet ds = encoder.encode(List.of(ex(null, true, "a", "b")));
            assertArrayEquals(new float[]{4, 5}, ds.getLabels().dup().data().asFloat());
        }
    }

    @Nested
    @DisplayName("for tagging")
    class Tagging {
        private final LabelSet tags = new LabelSet(List.of("at", "nn", "vb"));
        private final SequenceEncoder encoder = SequenceEncoder.forTagging(VOCAB, tags, false);

        private Example tagged(List<String> tokens, List<String> tagsOfTokens) {
            return new Example("test:1", null, tokens, tagsOfTokens, false, Split.TEST);
        }

        @Test
        void readsTokenIdsAndPredictsTheTagIdOfEachToken() {
            DataSet ds = encoder.encode(List.of(tagged(List.of("a", "b", "zzz"), List.of("at", "nn", "vb"))));
            assertArrayEquals(new long[]{1, 1, 3}, ds.getFeatures().shape());
            assertArrayEquals(new float[]{4, 5, Vocabulary.UNK_ID}, ds.getFeatures().dup().data().asFloat());
            assertArrayEquals(new long[]{1, 1, 3}, ds.getLabels().shape());
            assertArrayEquals(new float[]{0, 1, 2}, ds.getLabels().dup().data().asFloat());
        }

        @Test
        void masksLabelsLikeFeaturesOverThePadding() {
            DataSet ds = encoder.encode(List.of(tagged(List.of("a", "b", "c"), List.of("at", "nn", "vb")),
                    tagged(List.of("c"), List.of("nn"))));
            assertArrayEquals(new float[]{1, 1, 1, 1, 0, 0}, ds.getFeaturesMaskArray().data().asFloat());
            assertArrayEquals(ds.getFeaturesMaskArray().data().asFloat(), ds.getLabelsMaskArray().data().asFloat());
        }

        @Test
        void readsButDoesNotScoreATokenWhoseTagIsNotInTheTagSet() {
            DataSet ds = encoder.encode(List.of(tagged(List.of("a", "b"), List.of("at", "uh"))));
            assertArrayEquals(new float[]{1, 1}, ds.getFeaturesMaskArray().data().asFloat());
            assertArrayEquals(new float[]{1, 0}, ds.getLabelsMaskArray().data().asFloat());
        }

        @Test
        void occupiesOneStepPerToken() {
            assertEquals(2, encoder.steps(tagged(List.of("a", "b"), List.of("at", "nn"))));
        }
    }
}
