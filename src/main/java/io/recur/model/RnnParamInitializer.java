package io.recur.model;

import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Parameters of an {@link Rnn} layer with nIn inputs and H = nOut units, in DL4J's row-vector
 * convention (pre-activation = x · W), exactly as DL4J's {@code SimpleRnn} keeps them:
 * <ul>
 *   <li>{@code W}  [nIn, H] input weights, PyTorch {@code weight_ih_l0}ᵀ</li>
 *   <li>{@code RW} [H, H]   recurrent weights, PyTorch {@code weight_hh_l0}ᵀ</li>
 *   <li>{@code b}  [1, H]   bias, PyTorch's {@code b_ih + b_hh}</li>
 * </ul>
 * All three are 'f'-ordered views of the layer's flat parameter vector, in that order:
 * {@code nIn * H + H * H + H} parameters.
 */
public final class RnnParamInitializer extends GateBlockParamInitializer {

    private static final RnnParamInitializer INSTANCE = new RnnParamInitializer();

    private RnnParamInitializer() {}

    public static RnnParamInitializer getInstance() {
        return INSTANCE;
    }

    @Override
    protected int blocks() {
        return 1;
    }

    @Override
    protected long biasLength(BaseRecurrentLayer layer) {
        return layer.getNOut();
    }

    @Override
    protected void initBias(BaseRecurrentLayer layer, INDArray bias) {
        bias.assign(layer.getBiasInit());
    }
}
