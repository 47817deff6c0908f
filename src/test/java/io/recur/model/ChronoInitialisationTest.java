package io.recur.model;

import io.recur.config.Cell;
import io.recur.config.ModelSpec;
import io.recur.config.UpdaterKind;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Chrono initialisation of the gate biases (model.chrono-init-steps), read back from built networks. */
@DisplayName("ChronoInitialisation")
class ChronoInitialisationTest {
    private static final int H = 4;
    private static final NetworkShape ADDING = new NetworkShape(OutputHead.VALUE_AT_LAST_STEP, 2, 1);
    private static final NetworkShape CLASSES = new NetworkShape(OutputHead.CLASS_AT_LAST_STEP, 10, 2);

    private static MultiLayerNetwork net(Cell cell, int chronoSteps, boolean bidirectional, NetworkShape shape) {
        return NetworkFactory.create(new ModelSpec(cell, 1, H, bidirectional ? 8 : 0, bidirectional, 0.0, 0.0, 1.0,
                UpdaterKind.ADAM, 0.01, chronoSteps), shape, 1);
    }

    /** ln(u) for units k = 0..3 of 4 with T_max = 202: u = 1 + 200 (k + 1/2) / 4 = 26, 76, 126, 176. */
    private static final double[] LOG_U = {Math.log(26), Math.log(76), Math.log(126), Math.log(176)};

    private static double bias(MultiLayerNetwork net, String key, int block, int unit) {
        INDArray b = net.getParam(key);
        return b.getDouble(0, (long) block * H + unit);
    }

    @Test
    void lstmForgetBiasesSpanTheTimeConstantsAndInputBiasesAreTheirNegatives() {
        MultiLayerNetwork net = net(Cell.LSTM, 202, false, ADDING);
        for (int k = 0; k < H; k++) {
            assertEquals(LOG_U[k], bias(net, "0_b", LstmCell.FORGET_GATE, k), 1e-5);
            assertEquals(-LOG_U[k], bias(net, "0_b", LstmCell.INPUT_GATE, k), 1e-5);
            assertEquals(0.0, bias(net, "0_b", LstmCell.OUTPUT_GATE, k), 0.0);
        }
    }

    @Test
    void gruUpdateBiasesSpanTheTimeConstantsAndTheResetBiasesStayZero() {
        MultiLayerNetwork net = net(Cell.GRU, 202, false, ADDING);
        for (int k = 0; k < H; k++) {
            assertEquals(LOG_U[k], bias(net, "0_b", GruCell.UPDATE_GATE, k), 1e-5);
            assertEquals(0.0, bias(net, "0_b", 0, k), 0.0);
        }
    }

    @Test
    void mguForgetBiasesAreTheNegativeTimeConstantsSoThatTheUnitKeepsItsState() {
        MultiLayerNetwork net = net(Cell.MGU, 202, false, ADDING);
        for (int k = 0; k < H; k++) {
            assertEquals(-LOG_U[k], bias(net, "0_b", MguCell.FORGET_GATE, k), 1e-5);
            assertEquals(0.0, bias(net, "0_b", 1, k), 0.0);
        }
    }

    @Test
    void offLeavesTheLstmForgetBiasAtOne() {
        MultiLayerNetwork net = net(Cell.LSTM, 0, false, ADDING);
        for (int k = 0; k < H; k++) assertEquals(1.0, bias(net, "0_b", LstmCell.FORGET_GATE, k), 0.0);
    }

    @Test
    void bothDirectionsOfABidirectionalLayerAreInitialised() {
        MultiLayerNetwork net = net(Cell.LSTM, 202, true, CLASSES);
        // Layer 0 is the embedding; the bidirectional LSTM (under BidirectionalEnds) is layer 1.
        for (String key : new String[]{"1_fb", "1_bb"})
            assertEquals(LOG_U[3], bias(net, key, LstmCell.FORGET_GATE, 3), 1e-5, key);
    }

    @Test
    void theBiasesAreThoseOfTheFlatParameterVectorTheTrainerAverages() {
        MultiLayerNetwork net = net(Cell.GRU, 202, false, ADDING);
        MultiLayerNetwork copy = net(Cell.GRU, 0, false, ADDING);
        copy.setParams(net.params());
        assertEquals(LOG_U[2], bias(copy, "0_b", GruCell.UPDATE_GATE, 2), 1e-5);
    }
}
