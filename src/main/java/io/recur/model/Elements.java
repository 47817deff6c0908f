package io.recur.model;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

import org.nd4j.common.base.Preconditions;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Direct element access to the host memory of a contiguous array, for the fused per-step loops of
 * {@link GruLayer} and {@link LstmLayer}: one Java pass over a step's blocks replaces a chain of
 * element-wise ND4J ops, each of which costs a native call, validation and a view (at batch 32
 * the dispatch, not the arithmetic, was the time). Index 0 is the array's first element; the
 * values pass as doubles so that one loop serves float and double layers. Valid only on ND4J's
 * CPU backend, whose arrays live in host memory and whose ops finish before they return.
 */
abstract sealed class Elements {

    abstract double get(int i);

    abstract void set(int i, double value);

    /** The elements of {@code a} from its first one; {@code a} must be 'c'-ordered and contiguous. */
    static Elements of(INDArray a) {
        Preconditions.checkArgument(a.ordering() == 'c' && a.elementWiseStride() == 1,
                "fused loops need a contiguous 'c'-ordered array, got order %s, strides %s", a.ordering(), a.stride());
        Preconditions.checkArgument(a.offset() + a.length() <= Integer.MAX_VALUE,
                "array of %s elements at offset %s is too large for the fused loops", a.length(), a.offset());
        int first = (int) a.offset();
        if (a.dataType() == DataType.FLOAT) {
            return new Floats(a.data().asNioFloat().slice(), first);
        }
        Preconditions.checkArgument(a.dataType() == DataType.DOUBLE,
                "recurrent layers compute in float or double, not %s", a.dataType());
        return new Doubles(a.data().asNioDouble().slice(), first);
    }

    private static final class Floats extends Elements {
        private final FloatBuffer buffer;
        private final int first;

        Floats(FloatBuffer buffer, int first) {
            this.buffer = buffer;
            this.first = first;
        }

        @Override
        double get(int i) {
            return buffer.get(first + i);
        }

        @Override
        void set(int i, double value) {
            buffer.put(first + i, (float) value);
        }
    }

    private static final class Doubles extends Elements {
        private final DoubleBuffer buffer;
        private final int first;

        Doubles(DoubleBuffer buffer, int first) {
            this.buffer = buffer;
            this.first = first;
        }

        @Override
        double get(int i) {
            return buffer.get(first + i);
        }

        @Override
        void set(int i, double value) {
            buffer.put(first + i, value);
        }
    }
}
