package io.recur.model;

import java.util.Map;

import io.recur.config.Cell;

import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Carries parameters and updater state from a network to another of the same architecture, where
 * layers that were DL4J's {@code LSTM} in the source (models saved before recur had its own
 * LSTM) may be recur's lstm ({@link FusedRecurrent}) in the target. Both have {@code W} [nIn, 4H], {@code RW}
 * [H, 4H] and {@code b} [1, 4H], so the flat vectors have the same length, but DL4J orders the
 * gate blocks g, f, o, i and recur i, f, o, g: blocks 0 and 3 change places, in the parameters and
 * in every per-parameter updater state (Adam's moments).
 */
public final class LegacyLstmParameters {
    private LegacyLstmParameters() {}

    /**
     * Copies {@code from}'s parameters, and its updater state when both have one of the same
     * length, into {@code to}.
     *
     * @return true when some DL4J LSTM layer was converted to recur's gate order
     */
    public static boolean copy(MultiLayerNetwork from, MultiLayerNetwork to) {
        long n = to.numParams();
        if (from.numParams() != n) {
            throw new IllegalArgumentException("cannot copy " + from.numParams() + " parameters into a network of " + n);
        }
        int[] source = identity(n);
        boolean converted = false;
        INDArray toParams = to.params();
        for (int i = 0; i < to.getnLayers(); i++) {
            if (!(recurrentCell(from.getLayerWiseConfigurations().getConf(i).getLayer()) instanceof LSTM)
                    || !(recurrentCell(to.getLayerWiseConfigurations().getConf(i).getLayer()) instanceof FusedRecurrent f
                            && f.getCell() == Cell.LSTM)) {
                continue;
            }
            for (Map.Entry<String, INDArray> param : to.getLayer(i).paramTable().entrySet()) {
                swapFirstAndLastGateBlocks(param.getValue(), toParams, source);
            }
            converted = true;
        }
        double[] fromParams = from.params().toDoubleVector();
        double[] copied = new double[fromParams.length];
        for (int p = 0; p < copied.length; p++) copied[p] = fromParams[source[p]];
        to.setParams(Nd4j.createFromArray(copied).reshape(1, copied.length)
                .castTo(toParams.dataType()));
        copyUpdaterState(from, to, source);
        return converted;
    }

    /** The cell inside LastTimeStep / Bidirectional wrappers (the forward one; both are the same kind). */
    private static Layer recurrentCell(Layer layer) {
        if (layer instanceof Bidirectional bidirectional) return recurrentCell(bidirectional.getFwd());
        if (layer instanceof BaseWrapperLayer wrapper) return recurrentCell(wrapper.getUnderlying());
        return layer;
    }

    private static int[] identity(long n) {
        int[] index = new int[Math.toIntExact(n)];
        for (int i = 0; i < index.length; i++) index[i] = i;
        return index;
    }

    /** Marks in {@code source} that columns [0, H) and [3H, 4H) of a [rows, 4H] view trade places. */
    private static void swapFirstAndLastGateBlocks(INDArray view, INDArray flat, int[] source) {
        long rows = view.size(0);
        long h = view.size(1) / 4;
        long base = view.offset() - flat.offset();
        long rowStride = view.stride(0);
        long colStride = view.stride(1);
        for (long c = 0; c < h; c++) {
            for (long r = 0; r < rows; r++) {
                int a = Math.toIntExact(base + r * rowStride + c * colStride);
                int b = Math.toIntExact(base + r * rowStride + (c + 3 * h) * colStride);
                int sourceOfA = source[a];
                source[a] = source[b];
                source[b] = sourceOfA;
            }
        }
    }

    // Each updater block keeps, per kind of state (Adam: m then v), one slice in the parameters'
    // order, so the parameters' permutation applies to each slice.
    private static void copyUpdaterState(MultiLayerNetwork from, MultiLayerNetwork to, int[] source) {
        if (from.getUpdater() == null || to.getUpdater() == null) return;
        INDArray fromState = from.getUpdater().getStateViewArray();
        INDArray toState = to.getUpdater().getStateViewArray();
        if (fromState == null || toState == null || fromState.length() != toState.length()) return;
        double[] src = fromState.toDoubleVector();
        double[] dst = src.clone();
        for (UpdaterBlock block : ((BaseMultiLayerUpdater<?>) to.getUpdater()).getUpdaterBlocks()) {
            int paramStart = block.getParamOffsetStart();
            int length = block.getParamOffsetEnd() - paramStart;
            int stateStart = block.getUpdaterViewOffsetStart();
            int kinds = length == 0 ? 0 : (block.getUpdaterViewOffsetEnd() - stateStart) / length;
            for (int k = 0; k < kinds; k++) {
                for (int j = 0; j < length; j++) {
                    dst[stateStart + k * length + j] = src[stateStart + k * length + source[paramStart + j] - paramStart];
                }
            }
        }
        toState.assign(Nd4j.createFromArray(dst).reshape(toState.shape())
                .castTo(toState.dataType()));
    }
}
