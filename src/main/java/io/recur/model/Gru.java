package io.recur.model;

import io.recur.config.Cell;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;

/**
 * The configuration name of a {@code gru} layer in models saved before {@link FusedRecurrent}
 * (recur eac200f and earlier): their JSON names this class, which loads as a
 * {@link FusedRecurrent} of cell gru. That layer also had a reset-before form and other gate
 * activations, which no job spec could select; a model that uses them (built through the API) is
 * refused rather than computed as the reset-after, sigmoid-gated GRU it is not.
 */
public final class Gru extends FusedRecurrent {
    private Gru() {
        super(Cell.GRU);
    }

    // Jackson sets the saved settings through these.
    public void setResetAfter(boolean resetAfter) {
        if (!resetAfter) {
            throw new IllegalArgumentException("this model has a reset-before GRU layer, which recur no longer "
                    + "computes (only the reset-after form; see docs/cells.md)");
        }
    }

    public void setGateActivationFn(IActivation gateActivationFn) {
        if (!(gateActivationFn instanceof ActivationSigmoid)) {
            throw new IllegalArgumentException("this model has a GRU layer with gate activation " + gateActivationFn
                    + ", which recur no longer computes (only sigmoid gates; see docs/cells.md)");
        }
    }
}
