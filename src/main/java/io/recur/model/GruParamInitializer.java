package io.recur.model;

import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Parameters of a {@link Gru} layer with nIn inputs and H = nOut units, in DL4J's row-vector
 * convention (pre-activation = x · W), gate blocks in the order r, z, n (PyTorch's order):
 * <ul>
 *   <li>{@code W}  [nIn, 3H] = [W_ir; W_iz; W_in] transposed, i.e. PyTorch {@code weight_ih_l0}ᵀ</li>
 *   <li>{@code RW} [H, 3H]   = PyTorch {@code weight_hh_l0}ᵀ</li>
 *   <li>{@code b}  [1, 4H]   = [b_ir + b_hr, b_iz + b_hz, b_in, b_hn] when reset-after,
 *       [1, 3H] = [b_r, b_z, b_n] otherwise</li>
 * </ul>
 * All three are 'f'-ordered views of the layer's flat parameter vector, in that order.
 */
public final class GruParamInitializer extends GateBlockParamInitializer {

    /** Position of the update gate z's block in W, RW and b. */
    static final int UPDATE_GATE = 1;

    private static final GruParamInitializer INSTANCE = new GruParamInitializer();

    private GruParamInitializer() {}

    public static GruParamInitializer getInstance() {
        return INSTANCE;
    }

    @Override
    protected int blocks() {
        return 3;
    }

    /** The reset-after form keeps b_hn apart from b_in. */
    @Override
    protected long biasLength(BaseRecurrentLayer layer) {
        return (((Gru) layer).isResetAfter() ? 4 : 3) * layer.getNOut();
    }

    @Override
    protected void initBias(BaseRecurrentLayer layer, INDArray bias) {
        bias.assign(layer.getBiasInit());
    }
}
