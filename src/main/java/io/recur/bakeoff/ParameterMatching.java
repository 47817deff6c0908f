package io.recur.bakeoff;

import io.recur.config.Cell;
import io.recur.config.ModelSpec;
import io.recur.model.NetworkFactory;
import io.recur.model.NetworkShape;

/**
 * The bake-off's rule for a fair comparison: the job's hidden size applies to the reference cell,
 * LSTM, and every other cell gets the hidden size whose whole network (embedding, recurrent layers
 * and output, as {@link NetworkFactory} builds it) has the parameter count closest to the LSTM
 * network's; on a tie, the smaller size.
 */
final class ParameterMatching {
    static final Cell REFERENCE = Cell.LSTM;
    private static final int MAX_HIDDEN_SIZE = 8192;

    private ParameterMatching() {}

    /** The hidden size {@code cell} gets when {@code model} is the job's (LSTM-sized) model. */
    static int hiddenSize(ModelSpec model, Cell cell, NetworkShape shape) {
        if (cell == REFERENCE) return model.hiddenSize();
        long target = parameters(model, REFERENCE, model.hiddenSize(), shape);
        // The count grows with the hidden size, so a binary search finds the first size at or above it.
        int low = 1;
        int high = MAX_HIDDEN_SIZE;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (parameters(model, cell, mid, shape) < target) low = mid + 1;
            else high = mid;
        }
        if (low > 1 && target - parameters(model, cell, low - 1, shape) <= parameters(model, cell, low, shape) - target)
            return low - 1;
        return low;
    }

    /** The parameter count of {@code model} with another cell and hidden size. */
    static long parameters(ModelSpec model, Cell cell, int hiddenSize, NetworkShape shape) {
        return NetworkFactory.parameterCount(resized(model, cell, hiddenSize), shape);
    }

    static ModelSpec resized(ModelSpec m, Cell cell, int hiddenSize) {
        return new ModelSpec(cell, m.layers(), hiddenSize, m.embeddingSize(), m.bidirectional(), m.dropout(), m.l2(),
                m.gradientClip(), m.updater(), m.learningRate(), m.chronoInitSteps());
    }
}
