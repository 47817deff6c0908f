package io.recur.model;

import io.recur.config.Cell;
import io.recur.config.ModelSpec;
import io.recur.config.UpdaterKind;
import io.recur.corpus.Split;
import io.recur.synthetic.AddingProblem;
import io.recur.synthetic.CopyMemory;
import io.recur.synthetic.SyntheticTask;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.dataset.DataSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("NetworkFactory for the synthetic tasks")
class SyntheticNetworkTest {
    private static ModelSpec spec(Cell cell, boolean bidirectional) {
        return new ModelSpec(cell, 1, 8, 0, bidirectional, 0.0, 0.0, 1.0, UpdaterKind.ADAM, 0.01);
    }

    private static MultiLayerNetwork network(OutputHead head, SyntheticTask data, Cell cell) {
        return NetworkFactory.create(spec(cell, false), new NetworkShape(head, data.inputSize(), data.outputSize()), 1);
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void readsTheAddingProblemAtTheLastStepAsOneNumber(Cell cell) {
        SyntheticTask data = new AddingProblem(6);
        DataSet ds = data.batch(1, Split.TRAIN, 0, 4);
        MultiLayerNetwork net = network(OutputHead.VALUE_AT_LAST_STEP, data, cell);
        assertArrayEquals(new long[]{4, 1}, net.output(ds.getFeatures()).shape());
        net.fit(ds);
        assertTrue(Double.isFinite(net.score()), "score " + net.score());
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void predictsASymbolDistributionAtEveryCopyStep(Cell cell) {
        SyntheticTask data = new CopyMemory(3);
        DataSet ds = data.batch(1, Split.TRAIN, 0, 4);
        MultiLayerNetwork net = network(OutputHead.CLASS_PER_STEP, data, cell);
        assertArrayEquals(new long[]{4, 10, 23}, net.output(ds.getFeatures()).shape());
        net.fit(ds);
        assertTrue(Double.isFinite(net.score()), "score " + net.score());
    }
}
