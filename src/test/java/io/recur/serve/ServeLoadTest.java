package io.recur.serve;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The arithmetic of the serve rows' figures, without a server (not tagged bench). */
@DisplayName("a serve load's figures")
class ServeLoadTest {
    /** 1 ms, 2 ms, ..., n ms, given in reverse: the result sorts them. */
    private static ServeLoad.Result millis(int n, int batch, double seconds) {
        List<Long> nanos = new ArrayList<>(LongStream.rangeClosed(1, n).map(ms -> ms * 1_000_000).boxed().toList());
        java.util.Collections.reverse(nanos);
        return new ServeLoad.Result(1, batch, nanos, seconds);
    }

    @Test
    void takesTheNearestRankAsTheMedian() {
        assertEquals(50.0, millis(100, 1, 1).quantileMillis(0.5));
        assertEquals(3.0, millis(5, 1, 1).quantileMillis(0.5));
    }

    @Test
    void takesTheNearestRankAsThe99thPercentile() {
        assertEquals(99.0, millis(100, 1, 1).quantileMillis(0.99));
        assertEquals(10.0, millis(10, 1, 1).quantileMillis(0.99), "fewer than 100 requests: the slowest");
    }

    @Test
    void countsEveryTextOfABatchAsAnswered() {
        assertEquals(640.0, millis(40, 32, 2.0).textsPerSecond());
    }
}
