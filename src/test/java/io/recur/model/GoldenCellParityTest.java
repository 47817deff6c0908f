package io.recur.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.api.layers.RecurrentLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs every {@code *.json} reference file of {@code golden.dir} (PyTorch float64 forward and
 * backward passes, see the folder's README) through DL4J's SimpleRnn and LSTM and through
 * {@link Rnn}, {@link Gru} and {@link Lstm}, with PyTorch's weights mapped onto DL4J's parameter
 * layout. The {@code rnn-*} and {@code lstm-*} files run through both implementations of their
 * cell: recur's builds new models, DL4J's still runs the models saved before recur had its own.
 */
@DisplayName("Recurrent cells reproduce the PyTorch reference vectors")
class GoldenCellParityTest {

    private static final double MAX_RELATIVE_ERROR = 1e-8;
    // Below this magnitude errors count as absolute: float64 round-off on values near zero.
    private static final double ABSOLUTE_FLOOR = 1e-6;

    @TestFactory
    Stream<DynamicNode> everyReferenceFile() throws IOException {
        Path dir = Path.of(System.getProperty("golden.dir", "../shared/golden"));
        if (!Files.isDirectory(dir)) {
            // A dynamic test that aborts shows up as skipped, with the reason, in every report.
            String reason = "reference vectors not found at " + dir.toAbsolutePath()
                    + "; pass -Dgolden.dir=<folder with {rnn,lstm,gru}-*.json> to run the cell parity tests";
            return Stream.of(DynamicTest.dynamicTest("reference vectors present", () -> Assumptions.abort(reason)));
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "golden.dir " + dir.toAbsolutePath() + " holds no *.json reference file");
        return files.stream().flatMap(GoldenCellParityTest::containersFor);
    }

    private static Stream<DynamicContainer> containersFor(Path file) {
        String name = file.getFileName().toString();
        Reference ref;
        try {
            ref = new Reference(new ObjectMapper().readTree(file.toFile()), name);
        } catch (IOException | RuntimeException e) {
            return Stream.of(DynamicContainer.dynamicContainer(name, Stream.of(DynamicTest.dynamicTest(
                    "reads the reference file", () -> fail(file + ": " + e, e)))));
        }
        if (ref.cell == Cell.LSTM) {
            return Stream.of(containerFor(file, ref, Cell.LSTM), containerFor(file, ref, Cell.RECUR_LSTM));
        }
        if (ref.cell == Cell.RNN) {
            return Stream.of(containerFor(file, ref, Cell.RNN), containerFor(file, ref, Cell.RECUR_RNN));
        }
        return Stream.of(containerFor(file, ref, ref.cell));
    }

    private static DynamicContainer containerFor(Path file, Reference ref, Cell cell) {
        String name = file.getFileName().toString() + switch (cell) {
            case RECUR_LSTM -> " (recur Lstm)";
            case RECUR_RNN -> " (recur Rnn)";
            default -> "";
        };
        Result result;
        try {
            result = run(ref, cell);
        } catch (RuntimeException e) {
            // Fail this file's container only, so the other files still report their checks.
            return DynamicContainer.dynamicContainer(name, Stream.of(DynamicTest.dynamicTest(
                    "runs through the layer", () -> fail(file + ": " + e, e))));
        }
        List<DynamicNode> checks = new ArrayList<>();
        checks.add(DynamicTest.dynamicTest("output sequence h",
                () -> assertClose(ref.tensor3("h_bth"), result.outputBth, name + " h_bth")));
        checks.add(DynamicTest.dynamicTest("final state",
                () -> assertClose(ref.matrix("h_final_bh"), result.finalHidden, name + " h_final_bh")));
        if (ref.cell == Cell.LSTM) {
            checks.add(DynamicTest.dynamicTest("final memory cell",
                    () -> assertClose(ref.matrix("c_final_bh"), result.finalCell, name + " c_final_bh")));
        }
        checks.add(DynamicTest.dynamicTest("dLoss/dx",
                () -> assertClose(ref.tensor3("grad_x_bth"), result.gradInputBth, name + " grad_x_bth")));
        for (String param : List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0")) {
            checks.add(DynamicTest.dynamicTest("dLoss/d" + param, () -> assertClose(
                    ref.node.get("grad_params").get(param), result.gradParams.get(param), name + " " + param)));
        }
        return DynamicContainer.dynamicContainer(name, checks);
    }

    enum Cell {
        RNN(1, new int[] {0}),
        // DL4J's LSTM keeps its blocks as [block input g, forget f, output o, input gate i];
        // PyTorch's are [i, f, g, o]. Entry j names the PyTorch block of DL4J block j.
        LSTM(4, new int[] {2, 1, 3, 0}),
        GRU(3, new int[] {0, 1, 2}),
        // recur's Lstm keeps [i, f, o, g]: the three sigmoid gates side by side.
        RECUR_LSTM(4, new int[] {0, 1, 3, 2}),
        // recur's Rnn keeps SimpleRnn's layout.
        RECUR_RNN(1, new int[] {0});

        final int blocks;
        final int[] torchBlockOf;

        Cell(int blocks, int[] torchBlockOf) {
            this.blocks = blocks;
            this.torchBlockOf = torchBlockOf;
        }
    }

    /** One reference file. */
    private static final class Reference {
        final JsonNode node;
        final Cell cell;
        final int inputSize;
        final int hidden;
        final int batch;
        final int steps;
        final int[] lengths;

        Reference(JsonNode node, String fileName) {
            this.node = node;
            String prefix = fileName.substring(0, Math.max(0, fileName.indexOf('-')));
            this.cell = switch (prefix) {
                case "rnn" -> Cell.RNN;
                case "lstm" -> Cell.LSTM;
                case "gru" -> Cell.GRU;
                default -> throw new IllegalArgumentException(fileName
                        + ": file name must start with rnn-, lstm- or gru- to name the cell it was made with");
            };
            inputSize = node.get("inputSize").asInt();
            hidden = node.get("hiddenSize").asInt();
            batch = node.get("batch").asInt();
            steps = node.get("timeSteps").asInt();
            lengths = new int[batch];
            for (int b = 0; b < batch; b++) {
                lengths[b] = node.get("lengths").get(b).asInt();
            }
        }

        boolean padded() {
            for (int length : lengths) {
                if (length < steps) return true;
            }
            return false;
        }

        /** [B][T][K] as DL4J's [B, K, T]. */
        INDArray tensor3(String key) {
            JsonNode a = node.get(key);
            int k = a.get(0).get(0).size();
            INDArray out = Nd4j.create(DataType.DOUBLE, batch, k, steps);
            for (int b = 0; b < batch; b++)
                for (int t = 0; t < steps; t++)
                    for (int i = 0; i < k; i++)
                        out.putScalar(new long[] {b, i, t}, a.get(b).get(t).get(i).asDouble());
            return out;
        }

        INDArray matrix(String key) {
            return array(node.get(key));
        }

        INDArray param(String name) {
            return array(node.get("params").get(name));
        }

        /** A JSON vector or matrix (rows of numbers) as an array of the same shape. */
        static INDArray array(JsonNode a) {
            if (!a.get(0).isArray()) {
                INDArray out = Nd4j.create(DataType.DOUBLE, a.size());
                for (int i = 0; i < a.size(); i++) out.putScalar(i, a.get(i).asDouble());
                return out;
            }
            INDArray out = Nd4j.create(DataType.DOUBLE, a.size(), a.get(0).size());
            for (int r = 0; r < a.size(); r++)
                for (int c = 0; c < a.get(0).size(); c++)
                    out.putScalar(r, c, a.get(r).get(c).asDouble());
            return out;
        }

        INDArray mask() {
            INDArray mask = Nd4j.zeros(DataType.DOUBLE, batch, steps);
            for (int b = 0; b < batch; b++)
                for (int t = 0; t < lengths[b]; t++)
                    mask.putScalar(b, t, 1.0);
            return mask;
        }
    }

    /** DL4J's answers, in PyTorch's layouts where they are compared. */
    private record Result(INDArray outputBth, INDArray finalHidden, INDArray finalCell, INDArray gradInputBth,
                          Map<String, INDArray> gradParams) {}

    private static Result run(Reference ref, Cell cell) {
        MultiLayerNetwork net = network(ref, cell);
        RecurrentLayer layer = (RecurrentLayer) net.getLayer(0);
        loadTorchWeights(ref, cell, layer);
        LayerWorkspaceMgr noWs = LayerWorkspaceMgr.noWorkspaces();
        INDArray x = ref.tensor3("x_bth");
        INDArray mask = ref.padded() ? ref.mask() : null;

        layer.setInput(x, noWs);
        layer.setMaskArray(mask);
        INDArray output = layer.activate(false, noWs).dup();
        INDArray dLossDh = ref.tensor3("R_bth");
        if (mask != null && cell == Cell.LSTM) {
            // DL4J's LSTM zeroes its output at masked steps but still lets the gradient arriving
            // there into its weights; in a network the layer above sends zeros there, so do that.
            dLossDh.muli(mask.reshape(ref.batch, 1, ref.steps).broadcast(dLossDh.shape()));
        }
        Pair<Gradient, INDArray> backprop = layer.backpropGradient(dLossDh, noWs);
        INDArray gradInput = backprop.getSecond().dup();
        Map<String, INDArray> gradParams = torchGradients(ref, cell, backprop.getFirst());

        INDArray finalHidden = Nd4j.create(DataType.DOUBLE, ref.batch, ref.hidden);
        INDArray finalCell = Nd4j.create(DataType.DOUBLE, ref.batch, ref.hidden);
        if (cell == Cell.GRU || cell == Cell.RECUR_LSTM || cell == Cell.RECUR_RNN) {
            // recur's cells carry their state over masked steps, so the padded batch itself must
            // end in each example's state after its last real step.
            layer.rnnClearPreviousState();
            layer.setMaskArray(mask);
            layer.rnnTimeStep(x, noWs);
            finalHidden.assign(layer.rnnGetPreviousState().get(FusedRecurrentLayer.STATE_KEY));
            if (cell == Cell.RECUR_LSTM) {
                finalCell.assign(layer.rnnGetPreviousState().get(FusedRecurrentLayer.CELL_KEY));
            }
        } else {
            // DL4J's own cells keep computing through padding; run each example's real prefix.
            layer.setMaskArray(null);
            for (int b = 0; b < ref.batch; b++) {
                layer.rnnClearPreviousState();
                INDArray prefix = x.get(interval(b, b + 1), all(), interval(0, ref.lengths[b])).dup();
                layer.rnnTimeStep(prefix, noWs);
                Map<String, INDArray> state = layer.rnnGetPreviousState();
                finalHidden.getRow(b).assign(state.get("prevAct").reshape(ref.hidden));
                if (cell == Cell.LSTM) {
                    finalCell.getRow(b).assign(state.get("prevMem").reshape(ref.hidden));
                }
            }
        }
        return new Result(output, finalHidden, finalCell, gradInput, gradParams);
    }

    private static MultiLayerNetwork network(Reference ref, Cell cell) {
        org.deeplearning4j.nn.conf.layers.Layer conf = switch (cell) {
            case RNN -> new SimpleRnn.Builder().nIn(ref.inputSize).nOut(ref.hidden)
                    .activation(Activation.TANH).build();
            case LSTM -> new LSTM.Builder().nIn(ref.inputSize).nOut(ref.hidden)
                    .activation(Activation.TANH).gateActivationFunction(Activation.SIGMOID).build();
            case GRU -> new FusedRecurrent.Builder(io.recur.config.Cell.GRU).nIn(ref.inputSize).nOut(ref.hidden).build();
            case RECUR_LSTM -> new FusedRecurrent.Builder(io.recur.config.Cell.LSTM).nIn(ref.inputSize).nOut(ref.hidden).build();
            case RECUR_RNN -> new FusedRecurrent.Builder(io.recur.config.Cell.RNN).nIn(ref.inputSize).nOut(ref.hidden).build();
        };
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE).list().layer(conf).build());
        net.init();
        net.initGradientsView();
        return net;
    }

    /** DL4J block j, unit u, is PyTorch row {@code torchBlockOf[j] * H + u}, transposed. */
    private static void loadTorchWeights(Reference ref, Cell cell, RecurrentLayer layer) {
        int h = ref.hidden;
        INDArray wIh = ref.param("weight_ih_l0");
        INDArray wHh = ref.param("weight_hh_l0");
        INDArray bIh = ref.param("bias_ih_l0");
        INDArray bHh = ref.param("bias_hh_l0");
        INDArray w = layer.getParam("W");
        INDArray rw = layer.getParam("RW");
        INDArray b = layer.getParam("b");
        assertEquals(cell.blocks * h, w.size(1), "DL4J W has an unexpected number of gate blocks");
        for (int j = 0; j < cell.blocks; j++) {
            int torch = cell.torchBlockOf[j];
            w.get(all(), interval(j * h, (j + 1) * h)).assign(wIh.get(interval(torch * h, (torch + 1) * h), all()).transpose());
            rw.get(all(), interval(j * h, (j + 1) * h)).assign(wHh.get(interval(torch * h, (torch + 1) * h), all()).transpose());
            INDArray sum = bIh.get(interval(torch * h, (torch + 1) * h)).add(bHh.get(interval(torch * h, (torch + 1) * h)));
            boolean splitBias = cell == Cell.GRU && j == 2;
            b.get(point(0), interval(j * h, (j + 1) * h))
                    .assign(splitBias ? bIh.get(interval(torch * h, (torch + 1) * h)) : sum);
        }
        if (cell == Cell.GRU) {
            assertEquals(4 * h, b.size(1), "Gru bias must hold b_r, b_z, b_in, b_hn");
            b.get(point(0), interval(3 * h, 4 * h)).assign(bHh.get(interval(2 * h, 3 * h)));
        }
    }

    private static Map<String, INDArray> torchGradients(Reference ref, Cell cell, Gradient gradient) {
        int h = ref.hidden;
        INDArray gw = gradient.getGradientFor("W");
        INDArray grw = gradient.getGradientFor("RW");
        INDArray gb = gradient.getGradientFor("b").reshape(gradient.getGradientFor("b").length());
        int rows = cell.blocks * h;
        INDArray wIh = Nd4j.create(DataType.DOUBLE, rows, ref.inputSize);
        INDArray wHh = Nd4j.create(DataType.DOUBLE, rows, h);
        INDArray bIh = Nd4j.create(DataType.DOUBLE, rows);
        INDArray bHh = Nd4j.create(DataType.DOUBLE, rows);
        for (int j = 0; j < cell.blocks; j++) {
            int torch = cell.torchBlockOf[j];
            wIh.get(interval(torch * h, (torch + 1) * h), all()).assign(gw.get(all(), interval(j * h, (j + 1) * h)).transpose());
            wHh.get(interval(torch * h, (torch + 1) * h), all()).assign(grw.get(all(), interval(j * h, (j + 1) * h)).transpose());
            INDArray blockBias = gb.get(interval(j * h, (j + 1) * h));
            bIh.get(interval(torch * h, (torch + 1) * h)).assign(blockBias);
            bHh.get(interval(torch * h, (torch + 1) * h)).assign(blockBias);
        }
        if (cell == Cell.GRU) {
            bHh.get(interval(2 * h, 3 * h)).assign(gb.get(interval(3 * h, 4 * h)));
        }
        return Map.of("weight_ih_l0", wIh, "weight_hh_l0", wHh, "bias_ih_l0", bIh, "bias_hh_l0", bHh);
    }

    private static void assertClose(JsonNode expected, INDArray actual, String what) {
        assertClose(Reference.array(expected), actual, what);
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        assertEquals(expected.length(), actual.length(), what + ": element count");
        INDArray e = expected.reshape(expected.length());
        INDArray a = actual.dup('c').reshape(expected.shape()).reshape(expected.length());
        double worst = 0;
        long worstAt = -1;
        for (long i = 0; i < e.length(); i++) {
            double ev = e.getDouble(i);
            double av = a.getDouble(i);
            if (Double.isNaN(av)) fail(what + ": NaN at flat index " + i);
            double err = Math.abs(ev - av) / Math.max(Math.max(Math.abs(ev), Math.abs(av)), ABSOLUTE_FLOOR);
            if (err > worst) {
                worst = err;
                worstAt = i;
            }
        }
        long at = worstAt;
        double err = worst;
        assertTrue(worst <= MAX_RELATIVE_ERROR, () -> what + ": relative error " + err + " at flat index " + at
                + " (expected " + e.getDouble(at) + ", got " + a.getDouble(at) + ")");
    }
}
