package io.recur.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.recur.config.Cell;
import io.recur.model.NetworkFactory;
import io.recur.model.NetworkShape;
import io.recur.model.OutputHead;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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

        @Test
        void givesMguHalfTheLstmRecurrentWork() {
            double output = 3 * 2.0 * 512 * 96;
            double lstm = ComputeRows.trainingFlopsPerToken(Cell.LSTM, 512, 2, 96) - output;
            double mgu = ComputeRows.trainingFlopsPerToken(Cell.MGU, 512, 2, 96) - output;
            assertEquals(0.5, mgu / lstm, 1e-12);
        }
    }

    @Nested
    @DisplayName("the SimpleRnn peer network")
    class SimpleRnnPeer {
        @Test
        void isTheRnnNetworkWithDl4jsLayer() {
            var shape = new NetworkShape(OutputHead.CLASS_PER_STEP, 96, 96);
            var ours = NetworkFactory.configure(ComputeRows.model(Cell.RNN, 16), shape, 1);
            var peer = ComputeRows.withDl4jSimpleRnn(ours);
            for (int i = 0; i < 2; i++)
                assertInstanceOf(SimpleRnn.class, peer.getLayerWiseConfigurations().getConf(i).getLayer());
            assertEquals(NetworkFactory.parameterCount(ComputeRows.model(Cell.RNN, 16), shape), peer.numParams());
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
    @DisplayName("the scaling rows")
    class Scaling {
        /** A metrics.json with its training log: per epoch tokens/s and seconds; the last epoch is the best. */
        private JsonNode run(double bits, double bestLoss, double[] rates, double[] seconds) throws Exception {
            StringBuilder log = new StringBuilder();
            for (int e = 0; e < rates.length; e++)
                log.append(e == 0 ? "" : ",").append(String.format(java.util.Locale.ROOT,
                        "{\"epoch\":%d,\"tokensPerSecond\":%s,\"seconds\":%s}", e + 1, rates[e], seconds[e]));
            return Bench.JSON.readTree(String.format(java.util.Locale.ROOT,
                    "{\"job\":\"j\",\"training\":{\"examples\":5,\"epochs\":%d,\"bestEpoch\":%d,\"bestValidationLoss\":%s},"
                            + "\"heldOut\":{\"bitsPerToken\":%s},\"trainingLog\":[%s]}",
                    rates.length, rates.length, bestLoss, bits, log));
        }

        private final double[] slowFirst = {100, 1000, 1200};

        @Test
        void dividesTheMedianTokensPerSecondAfterTheFirstEpoch() throws Exception {
            JsonNode one = run(3.0, 2.0, new double[]{100, 1000, 1000}, new double[]{10, 1, 1});
            JsonNode two = run(3.0, 1.9, new double[]{50, 1700, 1900, 1800}, new double[]{10, 1, 1, 1});
            assertEquals(1.8, Bench.scaling(one, two).get(0).ratio(), 1e-12);
        }

        @Test
        void isMetWhenTwoWorkersAreFastEnoughAndNoWorseThanTheTolerance() throws Exception {
            JsonNode one = run(3.0, 2.0, slowFirst, new double[]{10, 1, 1});
            JsonNode two = run(3.04, 1.99, new double[]{100, 2000, 2200}, new double[]{10, 1, 1});
            Row row = Bench.scaling(one, two).get(0);
            assertTrue(row.met(), row.toString());
            assertTrue(row.target().contains("0.050 bits/char"), row.target());
        }

        @Test
        void isNotMetWhenTwoWorkersHeldOutIsWorseThanTheTolerance() throws Exception {
            JsonNode one = run(3.0, 2.0, slowFirst, new double[]{10, 1, 1});
            JsonNode two = run(3.06, 1.99, new double[]{100, 2000, 2200}, new double[]{10, 1, 1});
            assertFalse(Bench.scaling(one, two).get(0).met());
        }

        @Test
        void isNotMetWhenTwoWorkersNeverReachedTheTargetValidationLoss() throws Exception {
            JsonNode one = run(3.0, 2.0, slowFirst, new double[]{10, 1, 1});
            JsonNode two = run(2.9, 2.1, new double[]{100, 2000, 2200}, new double[]{10, 1, 1});
            Row row = Bench.scaling(one, two).get(0);
            assertFalse(row.met());
            assertTrue(row.configuration().contains("NOT reached"), row.configuration());
        }

        @Test
        void dividesTheFitSecondsToTheBestEpochForTimeToQuality() throws Exception {
            JsonNode one = run(3.0, 2.0, slowFirst, new double[]{10, 5, 5});
            JsonNode two = run(3.0, 2.0, new double[]{100, 2000, 2000, 2000}, new double[]{8, 3, 3, 2});
            Row time = Bench.scaling(one, two).get(1);
            assertEquals(16.0, time.median(), 1e-12);
            assertEquals(20.0 / 16.0, time.ratio(), 1e-12);
        }

        @Test
        void rejectsARunWithoutHeldOutBitsPerToken() throws Exception {
            JsonNode one = Bench.JSON.readTree("{\"job\":\"sms\",\"task\":\"classify\",\"training\":{},\"heldOut\":{\"accuracy\":0.9},"
                    + "\"trainingLog\":[{\"epoch\":1,\"tokensPerSecond\":1,\"seconds\":1}]}");
            var e = assertThrows(IllegalArgumentException.class, () -> Bench.scaling(one, one));
            assertTrue(e.getMessage().contains("sms"), e.getMessage());
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

    @Nested
    @DisplayName("the PyTorch peer")
    class Peer {
        @Test
        void isUnavailableWithTheReasonWhereItsPythonIsMissing() {
            String before = System.getProperty("recur.bench.python");
            System.setProperty("recur.bench.python", "/nonexistent/python3");
            try (PeerTorch peer = PeerTorch.start()) {
                assertFalse(peer.available());
                assertTrue(peer.unavailableReason().contains("/nonexistent/python3"), peer.unavailableReason());
            } finally {
                if (before == null) System.clearProperty("recur.bench.python");
                else System.setProperty("recur.bench.python", before);
            }
        }

        @Test
        void aSkippedRowSurvivesTheJsonTheTableReadsBack() throws Exception {
            Row skipped = new Row("peer-torch-rnn-h256-b32", "x", "skipped: no torch", Double.NaN, "tokens/s",
                    List.of(), null, null, null, null);
            Row read = Bench.JSON.readValue(Bench.JSON.writeValueAsString(skipped), Row.class);
            assertTrue(Double.isNaN(read.median()));
            assertEquals("skipped: no torch", read.configuration());
            assertTrue(Bench.render(List.of(read)).contains("skipped: no torch"));
        }
    }
}
