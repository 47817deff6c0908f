package io.recur.model;

import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BidirectionalParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Chrono initialisation (Tallec &amp; Ollivier, "Can recurrent neural networks warp time?", ICLR
 * 2018) of the gate biases of every recurrent layer of a freshly initialised network whose cell
 * has a gate that keeps the state ({@link CellMath#chronoInit}). A gate
 * that keeps a unit's state with value σ(b) gives the unit a time constant of about 1 / (1 − σ(b)),
 * so the bias b = ln(u) gives it u + 1 steps. Unit k of H gets u = 1 + (T_max − 2)(k + ½) / H,
 * spread evenly over [1, T_max − 1] (the paper draws u at random from that range; even spacing
 * covers it the same way and needs no random stream):
 * <ul>
 *   <li>LSTM: forget-gate bias ln(u), input-gate bias −ln(u), so that a unit starts out remembering
 *       rather than writing;</li>
 *   <li>GRU (h' = (1 − z) n + z h): update-gate bias ln(u); its write share 1 − z follows;</li>
 *   <li>MGU (h' = (1 − f) h + f n): forget-gate bias −ln(u), so that it keeps with 1 − f = σ(ln u).</li>
 * </ul>
 * The usual initialisation (forget-gate bias 1 for LSTM, 0 for GRU) gives every unit a time
 * constant of about 4 steps, so the gradient of a target that depends on an input 200 steps back
 * passes 200 gates of about 0.73 and vanishes until the gates have learnt to stay open.
 */
final class ChronoInitialisation {
    private ChronoInitialisation() {}

    /** Sets the gate biases of {@code net}'s recurrent layers for dependencies up to {@code maxSteps} steps. */
    static void apply(MultiLayerNetwork net, int maxSteps) {
        var conf = net.getLayerWiseConfigurations();
        for (int i = 0; i < conf.getConfs().size(); i++) {
            Layer layer = conf.getConf(i).getLayer();
            // LastTimeStep and BidirectionalEnds share the parameters of the layer they wrap, under its keys.
            while (layer instanceof BaseWrapperLayer wrapper) layer = wrapper.getUnderlying();
            if (layer instanceof Bidirectional both) {
                set(net, i + "_" + BidirectionalParamInitializer.FORWARD_PREFIX + GateBlockParamInitializer.BIAS_KEY,
                        both.getFwd(), maxSteps);
                set(net, i + "_" + BidirectionalParamInitializer.BACKWARD_PREFIX + GateBlockParamInitializer.BIAS_KEY,
                        both.getBwd(), maxSteps);
            } else {
                set(net, i + "_" + GateBlockParamInitializer.BIAS_KEY, layer, maxSteps);
            }
        }
    }

    private static void set(MultiLayerNetwork net, String key, Layer layer, int maxSteps) {
        if (!(layer instanceof FusedRecurrent recurrent)) return;
        INDArray bias = net.getParam(key).dup();
        int h = (int) recurrent.getNOut();
        recurrent.cellMath().chronoInit(bias, timeConstants(h, maxSteps), h);
        net.setParam(key, bias);
    }

    /** ln(u) per unit, u spread evenly over [1, maxSteps - 1]. */
    static INDArray timeConstants(int units, int maxSteps) {
        float[] values = new float[units];
        for (int k = 0; k < units; k++) values[k] = (float) Math.log(1 + (maxSteps - 2) * (k + 0.5) / units);
        return org.nd4j.linalg.factory.Nd4j.createFromArray(values).reshape(1, units);
    }

}
