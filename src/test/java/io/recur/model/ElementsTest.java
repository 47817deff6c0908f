package io.recur.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.ref.WeakReference;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

@DisplayName("Elements")
class ElementsTest {

    @Test
    void readsAndWritesAFloatBlockFromItsFirstElement() {
        INDArray a = Nd4j.arange(12).castTo(DataType.FLOAT).reshape('c', 4, 3);
        INDArray rows = RecurrentMath.block(a, 2, 2, 0, 3);
        Elements elements = Elements.of(rows);
        assertEquals(6.0, elements.get(0));
        elements.set(5, -1.5);
        assertEquals(-1.5f, a.getFloat(3, 2));
    }

    @Test
    void readsAndWritesDoubles() {
        INDArray a = Nd4j.arange(6).castTo(DataType.DOUBLE).reshape('c', 2, 3);
        Elements elements = Elements.of(a);
        elements.set(4, 1.0 / 3);
        assertEquals(1.0 / 3, a.getDouble(1, 1));
    }

    @Test
    void rejectsAColumnBlock() {
        INDArray a = Nd4j.create(DataType.FLOAT, 4, 3);
        assertThrows(IllegalArgumentException.class, () -> Elements.of(RecurrentMath.block(a, 0, 4, 0, 2)));
    }

    /**
     * Outside a workspace ND4J frees an array's memory once its buffer is unreachable; the fused
     * loops may hold only the elements, so they must keep the buffer, or they would write to freed
     * memory (this crashed the JVM with "corrupted double-linked list" in a workspace-less run).
     */
    @Test
    void keepsTheArrayMemoryAliveWhileItIsInUse() throws InterruptedException {
        INDArray a = Nd4j.valueArrayOf(new long[] {256, 64}, 7.0f);
        WeakReference<DataBuffer> buffer = new WeakReference<>(a.data());
        Elements elements = Elements.of(a);
        a = null;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertNotNull(buffer.get(), "the array's buffer was collected while its elements were still in use");
        assertEquals(7.0, elements.get(256 * 64 - 1));
    }
}
