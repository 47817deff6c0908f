package io.recur.model;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where a fused backward loop takes an activation's derivative from: sigmoid and tanh from their
 * stored outputs ({@code s(1-s)}, {@code 1-a²}), any other activation from slopes that
 * {@link IActivation#backprop} computed for the step beforehand.
 */
enum Derivative {
    SIGMOID_OUTPUT,
    TANH_OUTPUT,
    SLOPES;

    static Derivative of(IActivation fn) {
        if (fn instanceof ActivationSigmoid) {
            return SIGMOID_OUTPUT;
        }
        return fn instanceof ActivationTanH ? TANH_OUTPUT : SLOPES;
    }

    boolean needsSlopes() {
        return this == SLOPES;
    }

    /** The derivative at element i, given the activation's output there. */
    double at(double output, Elements slopes, int i) {
        return switch (this) {
            case SIGMOID_OUTPUT -> output * (1 - output);
            case TANH_OUTPUT -> 1 - output * output;
            case SLOPES -> slopes.get(i);
        };
    }

    /** {@code out = fn'(pre)}, element-wise, for an element-wise activation. */
    static void slopes(IActivation fn, INDArray pre, INDArray out) {
        INDArray ones = out.ulike().assign(1);
        INDArray result = fn.backprop(out.assign(pre), ones).getFirst();
        if (result != out) {
            out.assign(result);
        }
    }
}
