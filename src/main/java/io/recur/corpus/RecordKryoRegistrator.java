package io.recur.corpus;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import org.apache.spark.serializer.KryoRegistrator;

import java.util.ArrayList;
import java.util.List;

/**
 * Lets Spark's Kryo serializer carry Java records ({@link Example}, {@link TokenCount}, ...).
 * Kryo 4, which Spark 3.5 ships, builds objects field by field through {@code Unsafe}, which
 * Java 16+ forbids for records ("can't get field offset on a record class"). This registrator
 * gives {@link Example}, the record shuffled in bulk, a compact serializer of its own, and makes
 * every other record fall back to Java serialization (through its canonical constructor). The
 * JDK's immutable and unmodifiable collections ({@code List.copyOf}, {@code Map.of},
 * {@code Collections.unmodifiableMap}, ...), which Kryo can write but not rebuild (it fills them
 * through {@code add}, which they refuse), also go through Java serialization: broadcast
 * vocabularies and encoders hold them.
 *
 * <p>Any job that sets {@code spark.serializer=org.apache.spark.serializer.KryoSerializer} and
 * shuffles or collects examples must list this class in {@code spark.kryo.registrator}; Spark
 * accepts a comma-separated list, e.g.
 * {@code org.nd4j.kryo.Nd4jRegistrator,io.recur.corpus.RecordKryoRegistrator}.
 */
public final class RecordKryoRegistrator implements KryoRegistrator {
    @Override
    public void registerClasses(Kryo kryo) {
        kryo.register(Example.class, new ExampleSerializer());
        kryo.addDefaultSerializer(Record.class, JavaSerializer.class);
        for (String jdkCollection : JDK_COLLECTIONS) {
            try {
                kryo.addDefaultSerializer(Class.forName(jdkCollection), JavaSerializer.class);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("this JDK has no " + jdkCollection, e);
            }
        }
    }

    /** Bases of the collections List.of / copyOf, Set.of, Map.of and Collections.unmodifiable* return. */
    private static final List<String> JDK_COLLECTIONS = List.of(
            "java.util.ImmutableCollections$AbstractImmutableCollection",
            "java.util.ImmutableCollections$AbstractImmutableMap",
            "java.util.Collections$UnmodifiableCollection",
            "java.util.Collections$UnmodifiableMap");

    /** Field by field through the canonical constructor; {@code null} label or tags survive. */
    static final class ExampleSerializer extends Serializer<Example> {
        private static final Split[] SPLITS = Split.values();

        @Override
        public void write(Kryo kryo, Output out, Example e) {
            out.writeString(e.source());
            out.writeString(e.label());
            writeStrings(out, e.tokens());
            writeStrings(out, e.tags());
            out.writeBoolean(e.truncated());
            out.writeByte(e.split().ordinal());
        }

        @Override
        public Example read(Kryo kryo, Input in, Class<Example> type) {
            return new Example(in.readString(), in.readString(), readStrings(in), readStrings(in),
                    in.readBoolean(), SPLITS[in.readByte()]);
        }

        private static void writeStrings(Output out, List<String> strings) {
            // Size + 1, so 0 can stand for null (no tags).
            out.writeVarInt(strings == null ? 0 : strings.size() + 1, true);
            if (strings != null) for (String s : strings) out.writeString(s);
        }

        private static List<String> readStrings(Input in) {
            int sizePlusOne = in.readVarInt(true);
            if (sizePlusOne == 0) return null;
            List<String> strings = new ArrayList<>(sizePlusOne - 1);
            for (int i = 1; i < sizePlusOne; i++) strings.add(in.readString());
            return strings;
        }
    }
}
