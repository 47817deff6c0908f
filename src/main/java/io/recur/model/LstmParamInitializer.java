package io.recur.model;

import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Parameters of an {@link Lstm} layer with nIn inputs and H = nOut units, in DL4J's row-vector
 * convention (pre-activation = x · W), gate blocks in the order i, f, o, g: the three sigmoid
 * gates first, so that one op activates them, then the tanh block g. (PyTorch's order is
 * i, f, g, o; DL4J's LSTM uses g, f, o, i.)
 * <ul>
 *   <li>{@code W}  [nIn, 4H] input weights</li>
 *   <li>{@code RW} [H, 4H]   recurrent weights</li>
 *   <li>{@code b}  [1, 4H]   one bias per unit and gate (PyTorch's {@code b_ih + b_hh})</li>
 * </ul>
 * All three are 'f'-ordered views of the layer's flat parameter vector, in that order:
 * {@code 4 * (nIn * H + H * H + H)} parameters.
 */
public final class LstmParamInitializer extends GateBlockParamInitializer {

    /** Number of gate blocks and their positions in W, RW and b. */
    static final int BLOCKS = 4;
    static final int INPUT_GATE = 0;
    static final int FORGET_GATE = 1;
    static final int OUTPUT_GATE = 2;
    static final int CANDIDATE = 3;

    private static final LstmParamInitializer INSTANCE = new LstmParamInitializer();

    private LstmParamInitializer() {}

    public static LstmParamInitializer getInstance() {
        return INSTANCE;
    }

    @Override
    protected int blocks() {
        return BLOCKS;
    }

    @Override
    protected long biasLength(BaseRecurrentLayer layer) {
        return BLOCKS * layer.getNOut();
    }

    @Override
    protected void initBias(BaseRecurrentLayer layer, INDArray bias) {
        long nOut = layer.getNOut();
        bias.assign(layer.getBiasInit());
        bias.get(interval(0, 0, true), interval(FORGET_GATE * nOut, (FORGET_GATE + 1) * nOut))
                .assign(((Lstm) layer).getForgetGateBiasInit());
    }
}
