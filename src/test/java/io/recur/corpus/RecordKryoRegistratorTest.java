package io.recur.corpus;

import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag$;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@DisplayName("RecordKryoRegistrator")
class RecordKryoRegistratorTest {

    private static SerializerInstance kryo(boolean withRegistrator) {
        SparkConf conf = new SparkConf(false);
        if (withRegistrator) conf.set("spark.kryo.registrator", RecordKryoRegistrator.class.getName());
        return new KryoSerializer(conf).newInstance();
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(SerializerInstance kryo, T value) {
        Class<T> type = (Class<T>) value.getClass();
        return kryo.deserialize(kryo.serialize(value, ClassTag$.MODULE$.apply(type)), ClassTag$.MODULE$.apply(type));
    }

    @Test
    void carriesATaggedExample() {
        Example tagged = new Example("f:3", null, List.of("The", "cat"), List.of("DT", "NN"), true, Split.TEST);
        assertEquals(tagged, roundTrip(kryo(true), tagged));
    }

    @Test
    void carriesALabeledExampleWithoutTags() {
        Example labeled = new Example("f:1", "ham", List.of("ok", "lar"), null, false, Split.VALIDATION);
        assertEquals(labeled, roundTrip(kryo(true), labeled));
    }

    @Test
    void carriesOtherRecords() {
        TokenCount count = new TokenCount("ham", 14);
        assertEquals(count, roundTrip(kryo(true), count));
    }

    @Test
    void carriesTheJdksImmutableCollections() {
        List<Long> counts = List.copyOf(List.of(3L, 2L, 1L));
        Map<String, Integer> ids = Map.of("the", 0, "cat", 1);
        Map<String, Integer> view = Collections.unmodifiableMap(new HashMap<>(ids));
        assertEquals(counts, roundTrip(kryo(true), counts));
        assertEquals(ids, roundTrip(kryo(true), ids));
        assertEquals(view, roundTrip(kryo(true), view));
    }

    @Test
    void isNeededBecausePlainKryoCannotRebuildImmutableLists() {
        List<Long> counts = List.copyOf(List.of(3L, 2L, 1L));
        assertThrows(RuntimeException.class, () -> roundTrip(kryo(false), counts));
    }

    @Test
    void isNeededBecausePlainKryoCannotBuildRecords() {
        TokenCount count = new TokenCount("ham", 14);
        assertThrows(RuntimeException.class, () -> roundTrip(kryo(false), count));
    }
}
