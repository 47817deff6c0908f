package io.recur.corpus;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Lets Spark's Kryo serializer carry Java records ({@link Example}, {@link TokenCount}, ...).
 * Kryo 4, which Spark 3.5 ships, builds records field by field through {@code Unsafe}, which
 * Java 16+ forbids for records ("can't get field offset on a record class"); this registrator
 * makes every record fall back to Java serialization, which goes through the canonical constructor.
 *
 * <p>Any job that sets {@code spark.serializer=org.apache.spark.serializer.KryoSerializer} and
 * shuffles or collects examples must list this class in {@code spark.kryo.registrator}; Spark
 * accepts a comma-separated list, e.g.
 * {@code org.nd4j.kryo.Nd4jRegistrator,io.recur.corpus.RecordKryoRegistrator}.
 */
public final class RecordKryoRegistrator implements KryoRegistrator {
    @Override
    public void registerClasses(Kryo kryo) {
        kryo.addDefaultSerializer(Record.class, JavaSerializer.class);
    }
}
