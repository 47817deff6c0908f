package io.recur.bakeoff;

import io.recur.config.Cell;
import io.recur.config.JobSpecLoader;
import io.recur.config.ModelSpec;
import io.recur.model.NetworkFactory;
import io.recur.model.NetworkShape;
import io.recur.model.OutputHead;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("ParameterMatching")
class ParameterMatchingTest {
    private static final NetworkShape ADDING = new NetworkShape(OutputHead.VALUE_AT_LAST_STEP, 2, 1);
    private static final NetworkShape SMS = new NetworkShape(OutputHead.CLASS_AT_LAST_STEP, 3000, 2);

    private static ModelSpec model(String text) {
        return JobSpecLoader.fromResolvedText(text, "matching-test.conf").model();
    }

    private static final ModelSpec ADDING_MODEL = model("""
            job.task = sequence-regression
            model { cell = lstm, hidden-size = 48, embedding-size = 0 }
            """);
    private static final ModelSpec SMS_MODEL = model("""
            corpus.path = "x", corpus.format = labeled
            model { cell = lstm, hidden-size = 64, embedding-size = 32, layers = 2 }
            """);

    @Nested
    @DisplayName("counting parameters")
    class Counting {
        @ParameterizedTest
        @EnumSource(Cell.class)
        void countsWhatTheBuiltNetworkHas(Cell cell) {
            for (var pair : new Object[][]{{ADDING_MODEL, ADDING}, {SMS_MODEL, SMS}}) {
                ModelSpec m = ParameterMatching.resized((ModelSpec) pair[0], cell, 20);
                assertEquals(NetworkFactory.create(m, (NetworkShape) pair[1], 1).numParams(),
                        NetworkFactory.parameterCount(m, (NetworkShape) pair[1]));
            }
        }
    }

    @Nested
    @DisplayName("choosing hidden sizes")
    class Choosing {
        @ParameterizedTest
        @EnumSource(value = Cell.class, mode = EnumSource.Mode.EXCLUDE, names = "LSTM")
        void picksTheSizeWhoseCountIsClosestToTheLstmNetworks(Cell cell) {
            for (var pair : new Object[][]{{ADDING_MODEL, ADDING}, {SMS_MODEL, SMS}}) {
                ModelSpec m = (ModelSpec) pair[0];
                NetworkShape shape = (NetworkShape) pair[1];
                long target = ParameterMatching.parameters(m, Cell.LSTM, m.hiddenSize(), shape);
                int h = ParameterMatching.hiddenSize(m, cell, shape);
                long gap = Math.abs(ParameterMatching.parameters(m, cell, h, shape) - target);
                assertTrue(gap <= Math.abs(ParameterMatching.parameters(m, cell, h - 1, shape) - target), "h - 1 is closer");
                assertTrue(gap <= Math.abs(ParameterMatching.parameters(m, cell, h + 1, shape) - target), "h + 1 is closer");
            }
        }

        @ParameterizedTest
        @EnumSource(value = Cell.class, mode = EnumSource.Mode.EXCLUDE, names = "LSTM")
        void givesTheOtherCellsMoreUnitsThanTheLstm(Cell cell) {
            // An LSTM unit has four gates' weights, a GRU unit three, an RNN unit one.
            assertTrue(ParameterMatching.hiddenSize(ADDING_MODEL, cell, ADDING) > ADDING_MODEL.hiddenSize());
        }

        @org.junit.jupiter.api.Test
        void keepsTheJobsHiddenSizeForTheLstm() {
            assertEquals(48, ParameterMatching.hiddenSize(ADDING_MODEL, Cell.LSTM, ADDING));
        }
    }
}
