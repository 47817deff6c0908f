package io.recur.model;

import io.recur.config.Cell;
import io.recur.config.ModelSpec;
import io.recur.config.UpdaterKind;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static io.recur.model.GradientCheckFixture.BATCH;
import static io.recur.model.GradientCheckFixture.CLASSES;
import static io.recur.model.GradientCheckFixture.HIDDEN;
import static io.recur.model.GradientCheckFixture.IN;
import static io.recur.model.GradientCheckFixture.STEPS;
import static io.recur.model.GradientCheckFixture.base;
import static io.recur.model.GradientCheckFixture.gradientsMatch;
import static io.recur.model.GradientCheckFixture.init;
import static io.recur.model.GradientCheckFixture.input;
import static io.recur.model.GradientCheckFixture.variableLengthMask;
import static org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

@DisplayName("BidirectionalEnds: a bidirectional classifier reads each direction where it has read the whole sequence")
class BidirectionalEndsTest {
    private static final int[] LENGTHS = {STEPS, 2, 1};   // those of variableLengthMask()

    static {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    private static MultiLayerNetwork network(Cell cell) {
        var recurrent = new FusedRecurrent.Builder(cell).nIn(IN).nOut(HIDDEN).build();
        return init(base(1)
                .layer(new BidirectionalEnds(new Bidirectional(Bidirectional.Mode.CONCAT, recurrent)))
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nIn(2 * HIDDEN).nOut(CLASSES).build()));
    }

    private static INDArray classLabels() {
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, BATCH, CLASSES);
        for (int b = 0; b < BATCH; b++) labels.putScalar(b, b % CLASSES, 1.0);
        return labels;
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void forwardHalfIsTheLastRealStepAndBackwardHalfIsStepZero(Cell cell) {
        MultiLayerNetwork net = network(cell);
        INDArray x = input(2);
        INDArray mask = variableLengthMask();
        net.setLayerMaskArrays(mask, null);
        List<INDArray> activations = net.feedForward(x, false);
        INDArray ends = activations.get(1);
        // The bidirectional layer alone, over the same masked input.
        var bidirectional = ((BidirectionalEndsLayer) net.getLayer(0)).getUnderlying();
        bidirectional.setMaskArray(mask);
        INDArray sequence = bidirectional.activate(x, false, noWorkspaces());
        for (int b = 0; b < BATCH; b++) {
            assertEquals(sequence.get(point(b), interval(0, HIDDEN), point(LENGTHS[b] - 1)),
                    ends.get(point(b), interval(0, HIDDEN)), "forward half of sequence " + b);
            assertEquals(sequence.get(point(b), interval(HIDDEN, 2 * HIDDEN), point(0)),
                    ends.get(point(b), interval(HIDDEN, 2 * HIDDEN)), "backward half of sequence " + b);
        }
    }

    @Test
    void theBackwardHalfHasReadTheFirstToken() {
        MultiLayerNetwork net = network(Cell.LSTM);
        INDArray x = input(2);
        INDArray changed = x.dup();
        changed.get(all(), all(), point(0)).addi(1.0);
        INDArray before = net.feedForward(x, false).get(1).get(all(), interval(HIDDEN, 2 * HIDDEN));
        INDArray after = net.feedForward(changed, false).get(1).get(all(), interval(HIDDEN, 2 * HIDDEN));
        assertTrue(before.sub(after).amaxNumber().doubleValue() > 1e-3,
                "changing only the first step must change the backward half of every sequence");
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void gradientsMatchFiniteDifferencesWithVariableLengthMasks(Cell cell) {
        assertTrue(gradientsMatch(network(cell), input(2), classLabels(), variableLengthMask(), null));
    }

    @Test
    void aSavedClassifierLoadsWithTheSameLayerAndOutputs(@TempDir Path dir) throws IOException {
        var spec = new ModelSpec(Cell.GRU, 2, 8, 4, true, 0.0, 0.0, 1.0, UpdaterKind.ADAM, 0.01);
        MultiLayerNetwork net = NetworkFactory.create(spec, new NetworkShape(OutputHead.CLASS_AT_LAST_STEP, 10, 2), 3);
        File file = dir.resolve("model.zip").toFile();
        ModelSerializer.writeModel(net, file, false);
        MultiLayerNetwork loaded = ModelSerializer.restoreMultiLayerNetwork(file);
        assertInstanceOf(BidirectionalEnds.class, loaded.getLayerWiseConfigurations().getConf(2).getLayer());
        INDArray ids = Nd4j.createFromArray(new double[][][] {{{1, 2, 3, 4}}, {{5, 6, 0, 0}}}).castTo(net.params().dataType());
        INDArray mask = Nd4j.createFromArray(new double[][] {{1, 1, 1, 1}, {1, 1, 0, 0}}).castTo(net.params().dataType());
        assertEquals(net.output(ids, false, mask, null), loaded.output(ids, false, mask, null));
    }
}
