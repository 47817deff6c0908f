package io.recur.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.recur.config.Cell;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark's arithmetic and row building, without running a measurement (not tagged bench). */
@DisplayName("Benchmark rows")
class BenchRowsTest {

    @Nested
    @DisplayName("training FLOPs per token")
    class Flops {
        @Test
        void countsFourGatesForLstmOverTwoLayersAndTheSoftmaxTimesThree() {
            // layer 1: 2·4·256·(96+256), layer 2: 2·4·256·(256+256), output: 2·256·96
            double forward = 2.0 * 4 * 256 * 352 + 2.0 * 4 * 256 * 512 + 2.0 * 256 * 96;
            assertEquals(3 * forward, ComputeRows.trainingFlopsPerToken(Cell.LSTM, 256, 2, 96), 1e-6);
        }

        @Test
        void givesGruThreeQuartersOfTheLstmRecurrentWork() {
            double output = 3 * 2.0 * 512 * 96;
            double lstm = ComputeRows.trainingFlopsPerToken(Cell.LSTM, 512, 2, 96) - output;
            double gru = ComputeRows.trainingFlopsPerToken(Cell.GRU, 512, 2, 96) - output;
            assertEquals(0.75, gru / lstm, 1e-12);
        }
    }

    @Nested
    @DisplayName("a row judged by its ratio")
    class Judged {
        @Test
        void takesTheMiddleSampleAsMedian() {
            assertEquals(3.0, Row.median(List.of(9.0, 1.0, 3.0)));
        }

        @Test
        void averagesTheTwoMiddleSamplesOfAnEvenCount() {
            assertEquals(2.5, Row.median(List.of(4.0, 1.0, 2.0, 3.0)));
        }

        @Test
        void isMetWhenAnAtLeastRatioReachesItsBound() {
            Row row = Row.reference("x", "x", "x", List.of(1.0), "s").judged("a / b", 0.85, Target.atLeast(0.85));
            assertTrue(row.met());
            assertEquals(">= 0.850", row.target());
        }

        @Test
        void isNotMetWhenAnAtMostRatioExceedsItsBound() {
            Row row = Row.reference("x", "x", "x", List.of(1.0), "s").judged("a / b", 0.11, Target.atMost(0.10));
            assertFalse(row.met());
        }

        @Test
        void leavesMetUnsetWithoutATarget() {
            Row row = Row.reference("x", "x", "x", List.of(1.0), "s").judged("a / b", 2.0, null);
            assertEquals(null, row.met());
        }
    }

    @Nested
    @DisplayName("the scaling row")
    class Scaling {
        @Test
        void dividesTwoWorkerByOneWorkerLastEpochTokensPerSecond() throws Exception {
            JsonNode one = Bench.JSON.readTree("{\"job\":\"j\",\"training\":{\"lastEpochTokensPerSecond\":1000,\"examples\":5,\"epochs\":1},"
                    + "\"heldOut\":{\"bitsPerToken\":3.0}}");
            JsonNode two = Bench.JSON.readTree("{\"job\":\"j\",\"training\":{\"lastEpochTokensPerSecond\":1800,\"examples\":5,\"epochs\":1},"
                    + "\"heldOut\":{\"bitsPerToken\":3.1}}");
            Row row = Bench.scaling(one, two);
            assertEquals(1.8, row.ratio(), 1e-12);
            assertTrue(row.met());
            assertTrue(row.configuration().contains("bitsPerToken 1 worker 3.00, 2 workers 3.10"), row.configuration());
        }
    }

    @Nested
    @DisplayName("the memory row")
    class Memory {
        @Test
        void sumsTheLastSampleOfEachProcess() {
            List<Row> rows = Bench.memory(List.of("driver 10 1048576", "executor 11 524288", "driver 10 2097152",
                    "executor 11 1048576", "executor 12 524288"), "limits");
            assertEquals(3.5, rows.get(0).median(), 1e-12);
            assertTrue(rows.get(0).met(), "3.5 GB is under the 4 GB bound");
        }

        @Test
        void rejectsAnEmptySampleFile() {
            var e = assertThrows(IllegalArgumentException.class, () -> Bench.memory(List.of(), "limits"));
            assertTrue(e.getMessage().contains("no memory samples"));
        }
    }
}
