package io.recur.model;

import java.lang.ref.Reference;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

import org.nd4j.common.base.Preconditions;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Direct element access to the host memory of a contiguous array, for the fused per-step loops of
 * the cells ({@link CellMath}): one Java pass over a step's blocks replaces a chain of
 * element-wise ND4J ops, each of which costs a native call, validation and a view (at batch 32
 * the dispatch, not the arithmetic, was the time). Index 0 is the array's first element; the
 * values pass as doubles so that one loop serves float and double layers. Valid only on ND4J's
 * CPU backend, whose arrays live in host memory and whose ops finish before they return.
 *
 * <p>The NIO view does not keep the memory allocated: outside a workspace ND4J frees an array's
 * memory once its {@link DataBuffer} is unreachable. So every access fences the buffer's
 * reachability, and the memory lives as long as these elements are read or written, even where
 * the layer no longer refers to the array itself.
 */
abstract sealed class Elements {
    private final DataBuffer owner;

    private Elements(DataBuffer owner) {
        this.owner = owner;
    }

    final double get(int i) {
        double value = read(i);
        Reference.reachabilityFence(owner);
        return value;
    }

    final void set(int i, double value) {
        write(i, value);
        Reference.reachabilityFence(owner);
    }

    abstract double read(int i);

    abstract void write(int i, double value);

    /** The elements of {@code a} from its first one; {@code a} must be 'c'-ordered and contiguous. */
    static Elements of(INDArray a) {
        Preconditions.checkArgument(a.ordering() == 'c' && a.elementWiseStride() == 1,
                "fused loops need a contiguous 'c'-ordered array, got order %s, strides %s", a.ordering(), a.stride());
        Preconditions.checkArgument(a.offset() + a.length() <= Integer.MAX_VALUE,
                "array of %s elements at offset %s is too large for the fused loops", a.length(), a.offset());
        // The NIO view starts at the buffer's own offset; a view built on a buffer may carry its
        // offset in a new buffer rather than in the array.
        int first = (int) (a.offset() - a.data().offset());
        if (a.dataType() == DataType.FLOAT) {
            return new Floats(a.data(), first);
        }
        Preconditions.checkArgument(a.dataType() == DataType.DOUBLE,
                "recurrent layers compute in float or double, not %s", a.dataType());
        return new Doubles(a.data(), first);
    }

    private static final class Floats extends Elements {
        private final FloatBuffer buffer;
        private final int first;

        Floats(DataBuffer data, int first) {
            super(data);
            this.buffer = data.asNioFloat().slice();
            this.first = first;
        }

        @Override
        double read(int i) {
            return buffer.get(first + i);
        }

        @Override
        void write(int i, double value) {
            buffer.put(first + i, (float) value);
        }
    }

    private static final class Doubles extends Elements {
        private final DoubleBuffer buffer;
        private final int first;

        Doubles(DataBuffer data, int first) {
            super(data);
            this.buffer = data.asNioDouble().slice();
            this.first = first;
        }

        @Override
        double read(int i) {
            return buffer.get(first + i);
        }

        @Override
        void write(int i, double value) {
            buffer.put(first + i, value);
        }
    }
}
