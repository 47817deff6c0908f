package io.recur.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.TimeSeriesUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

/** The network layer of {@link BidirectionalEnds}: [batch, 2H, steps] in, [batch, 2H] out. */
final class BidirectionalEndsLayer extends BaseWrapperLayer {
    private long[] sequenceShape;
    /** Each sequence's last real step. */
    private int[] lastSteps;

    BidirectionalEndsLayer(Layer underlying) {
        super(underlying);
    }

    @Override
    public Type type() {
        return Type.FEED_FORWARD;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return ends(underlying.activate(training, workspaceMgr), workspaceMgr);
    }

    @Override
    public INDArray activate(INDArray input, boolean training, LayerWorkspaceMgr workspaceMgr) {
        return ends(underlying.activate(input, training, workspaceMgr), workspaceMgr);
    }

    private INDArray ends(INDArray sequence, LayerWorkspaceMgr workspaceMgr) {
        if (sequence.rank() != 3 || TimeSeriesUtils.getFormatFromRnnLayer(underlying.conf().getLayer()) != RNNFormat.NCW)
            throw new IllegalStateException("expected [batch, size, steps] from the bidirectional layer, got "
                    + java.util.Arrays.toString(sequence.shape()));
        sequenceShape = sequence.shape();
        long half = sequenceShape[1] / 2;
        Pair<INDArray, int[]> last = TimeSeriesUtils.pullLastTimeSteps(sequence, underlying.getMaskArray(),
                workspaceMgr, ArrayType.ACTIVATIONS);
        lastSteps = last.getSecond();
        INDArray ends = last.getFirst();
        ends.get(all(), interval(half, 2 * half)).assign(sequence.get(all(), interval(half, 2 * half), point(0)));
        return ends;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        long half = sequenceShape[1] / 2;
        INDArray sequenceEpsilon = Nd4j.create(epsilon.dataType(), sequenceShape, 'f');
        for (int b = 0; b < sequenceShape[0]; b++) {
            int t = lastSteps == null ? (int) sequenceShape[2] - 1 : lastSteps[b];
            sequenceEpsilon.get(point(b), interval(0, half), point(t)).assign(epsilon.get(point(b), interval(0, half)));
        }
        sequenceEpsilon.get(all(), interval(half, 2 * half), point(0)).assign(epsilon.get(all(), interval(half, 2 * half)));
        return underlying.backpropGradient(sequenceEpsilon, workspaceMgr);
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState, int minibatchSize) {
        underlying.feedForwardMaskArray(maskArray, currentMaskState, minibatchSize);
        setMaskArray(maskArray);
        // Past the read, every row is one vector: no steps left to mask.
        return new Pair<>(null, currentMaskState);
    }
}
