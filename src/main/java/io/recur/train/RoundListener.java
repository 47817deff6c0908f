package io.recur.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Told on the driver after every averaging round, with the network the next round starts from
 * (after block momentum). Must not change the network.
 */
public interface RoundListener {
    RoundListener NONE = (epoch, round, rounds, net) -> { };

    /**
     * @param epoch  1-based
     * @param round  0-based within the epoch
     * @param rounds rounds of this epoch
     */
    void roundAveraged(int epoch, int round, int rounds, MultiLayerNetwork net);
}
