package io.recur.export;

import com.google.protobuf.ByteString;
import io.recur.config.UserInputException;
import io.recur.model.BidirectionalEnds;
import io.recur.model.FusedRecurrent;
import io.recur.task.CorpusTask;
import io.recur.task.Labels;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.OperatorSetIdProto;
import onnx.Onnx.StringStringEntryProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The ONNX graph of a recur network, built with ONNX's own operators so that any ONNX runtime
 * computes what recur computes.
 *
 * <p>Inputs are batch-first ({@code tokens} int64 [batch, time], {@code lengths} int32 [batch]);
 * inside, the graph runs time-major because ONNX Runtime implements the recurrent operators only
 * for {@code layout = 0}. The layers map one to one:
 * <ul>
 *   <li>embedding: {@code Gather} of its weight rows; without one, the {@code OneHot} of the ids
 *       (recur's one-hot input), whose product with the input weights selects their rows exactly;</li>
 *   <li>each recurrent layer: one {@code RNN}, {@code LSTM} or {@code GRU} node with
 *       {@code sequence_lens = lengths}, {@code direction = bidirectional} for a bidirectional layer,
 *       gate blocks reordered from recur's (LSTM i f o g to ONNX's i o f c, GRU r z n to z r h) and
 *       recur's single bias put in ONNX's input bias, the recurrent bias zero (except the GRU's
 *       b_hn, which reset-after keeps apart: {@code linear_before_reset = 1});</li>
 *   <li>classify: the last layer read at each sequence's last real step as recur's LastTimeStep
 *       reads it: {@code Y_h} forward; for a bidirectional layer the output at step length - 1,
 *       whose backward half has read only the last token, as in recur;</li>
 *   <li>the output layer: {@code MatMul}, {@code Add} and {@code Softmax} over the last axis.</li>
 * </ul>
 * Dropout layers do nothing at inference and are left out. Anything recur's {@code NetworkFactory}
 * does not build is refused with a {@link UserInputException} naming it.
 */
final class OnnxGraph {
    /** IR version 10 and opset 21: ONNX 1.16, which ONNX Runtime 1.20 and later read. */
    static final long IR_VERSION = 10;
    static final long OPSET = 21;
    static final String TOKENS = "tokens";
    static final String LENGTHS = "lengths";
    static final String PROBABILITIES = "probabilities";
    static final String BATCH = "batch";
    static final String TIME = "time";

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private int names;

    private OnnxGraph() {}

    /**
     * @param net       a network built by recur's NetworkFactory for {@code task}
     * @param inputSize vocabulary size: the range of the token ids
     * @param metadata  written into the model's metadata_props (run id, task, ...)
     */
    static ModelProto of(MultiLayerNetwork net, CorpusTask task, int inputSize, String producerVersion,
                         Map<String, String> metadata) {
        OnnxGraph g = new OnnxGraph();
        g.build(net, task, inputSize);
        ModelProto.Builder model = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("recur")
                .setProducerVersion(producerVersion)
                .setGraph(g.graph.setName("recur_" + task.label()));
        metadata.forEach((k, v) -> model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return model.build();
    }

    private void build(MultiLayerNetwork net, CorpusTask task, int inputSize) {
        boolean manyToOne = task.head().manyToOne();
        graph.addInput(tensorInfo(TOKENS, TensorProto.DataType.INT64, BATCH, TIME));
        graph.addInput(tensorInfo(LENGTHS, TensorProto.DataType.INT32, BATCH));

        String x = node("Transpose", List.of(TOKENS), ints("perm", 1, 0));   // [T, B] ids
        boolean ids = true;
        long width = inputSize;
        String lastStep = null;                                            // [B, F] when read at the last step
        var layers = net.getLayers();
        for (int i = 0; i < layers.length; i++) {
            // The configuration as built: a LastTimeStep layer's own conf() is that of the layer it wraps.
            Layer conf = net.getLayerWiseConfigurations().getConf(i).getLayer();
            Map<String, INDArray> params = layers[i].paramTable();
            String where = "layer " + i + " (" + conf.getClass().getSimpleName() + ")";
            if (conf instanceof DropoutLayer) continue;
            if (conf instanceof EmbeddingSequenceLayer e) {
                if (!ids) throw unsupported(where, "an embedding after the first layer");
                requireActivation(where, e.getActivationFn(), ActivationIdentity.class, "identity");
                x = node("Gather", List.of(initializer("embedding", params.get("W")), x));
                if (e.hasBias()) x = node("Add", List.of(x, initializer("embedding_bias", params.get("b").toFloatVector())));
                ids = false;
                width = e.getNOut();
            } else if (conf instanceof LastTimeStep || conf instanceof BidirectionalEnds
                    || conf instanceof Bidirectional || conf instanceof BaseRecurrentLayer) {
                if (lastStep != null) throw unsupported(where, "a recurrent layer after the last-step read");
                if (ids) {
                    x = node("OneHot", List.of(x, int64s("depth", inputSize), initializer("one_hot_values", new float[] {0f, 1f})));
                    ids = false;
                }
                Recurrent r = recurrent(where, conf, params, x, width, i);
                x = r.sequence;
                width = r.width;
                lastStep = r.lastStep;
            } else if (conf instanceof BaseOutputLayer out) {
                requireActivation(where, out.getActivationFn(), ActivationSoftmax.class, "softmax");
                if (manyToOne != (lastStep != null))
                    throw unsupported(where, "an output layer that does not match task " + task.label());
                String w = initializer("output_weights", params.get("W"));
                String logits = node("MatMul", List.of(manyToOne ? lastStep : x, w));
                if (out.hasBias()) logits = node("Add", List.of(logits, initializer("output_bias", params.get("b").toFloatVector())));
                if (!manyToOne) logits = node("Transpose", List.of(logits), ints("perm", 1, 0, 2));
                graph.addNode(NodeProto.newBuilder().setOpType("Softmax").addInput(logits).addOutput(PROBABILITIES)
                        .addAttribute(AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT).setI(-1)));
                String outputs = task.labels() == Labels.NONE ? "vocabulary" : "labels";
                graph.addOutput(manyToOne
                        ? tensorInfo(PROBABILITIES, TensorProto.DataType.FLOAT, BATCH, outputs)
                        : tensorInfo(PROBABILITIES, TensorProto.DataType.FLOAT, BATCH, TIME, outputs));
                return;
            } else {
                throw unsupported(where, "this kind of layer");
            }
        }
        throw unsupported("the network", "no output layer");
    }

    private record Recurrent(String sequence, long width, String lastStep) {}

    /** One recurrent layer; {@code x} is [T, B, width]. */
    private Recurrent recurrent(String where, Layer conf, Map<String, INDArray> params, String x, long width, int index) {
        boolean readEnds = conf instanceof BidirectionalEnds;
        boolean readLast = conf instanceof LastTimeStep || readEnds;
        Layer inner = conf instanceof BaseWrapperLayer wrapper ? wrapper.getUnderlying() : conf;
        boolean bidirectional = inner instanceof Bidirectional;
        if (bidirectional) {
            Bidirectional b = (Bidirectional) inner;
            if (b.getMode() != Bidirectional.Mode.CONCAT)
                throw unsupported(where, "bidirectional mode " + b.getMode() + " (ONNX concatenates the directions)");
            inner = b.getFwd();
        }
        Cell cell = Cell.of(where, inner);
        long h = ((BaseRecurrentLayer) inner).getNOut();
        String[] prefixes = bidirectional ? new String[] {"f", "b"} : new String[] {""};
        int directions = prefixes.length;
        long g = cell.blocks.length;
        float[] w = new float[(int) (directions * g * h * width)];
        float[] r = new float[(int) (directions * g * h * h)];
        float[] b = new float[(int) (directions * 2 * g * h)];
        for (int d = 0; d < directions; d++) {
            String p = prefixes[d];
            gateRows(params.get(p + "W").toFloatMatrix(), cell.blocks, (int) h, w, (int) (d * g * h * width));
            gateRows(params.get(p + "RW").toFloatMatrix(), cell.blocks, (int) h, r, (int) (d * g * h * h));
            cell.biases(params.get(p + "b").toFloatVector(), (int) h, b, (int) (d * 2 * g * h));
        }
        String layer = "layer" + index;
        String wName = initializer(layer + "_W", w, directions, g * h, width);
        String rName = initializer(layer + "_R", r, directions, g * h, h);
        String bName = initializer(layer + "_B", b, directions, 2 * g * h);
        String y = fresh(layer + "_Y");
        String yH = fresh(layer + "_Y_h");
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(cell.op).setName(layer)
                .addInput(x).addInput(wName).addInput(rName).addInput(bName).addInput(LENGTHS)
                .addOutput(y).addOutput(yH)
                .addAttribute(intAttribute("hidden_size", h))
                .addAttribute(AttributeProto.newBuilder().setName("direction").setType(AttributeProto.AttributeType.STRING)
                        .setS(ByteString.copyFromUtf8(bidirectional ? "bidirectional" : "forward")));
        if (cell == Cell.GRU) n.addAttribute(intAttribute("linear_before_reset", 1));
        graph.addNode(n);
        // Y [T, D, B, H] -> [T, B, D * H]: the directions side by side, forward first, as recur concatenates them.
        String sequence = node("Reshape", List.of(node("Transpose", List.of(y), ints("perm", 0, 2, 1, 3)),
                int64s(layer + "_shape", 0, 0, directions * h)));
        String lastStep = null;
        if (readLast && !bidirectional) {
            lastStep = node("Squeeze", List.of(yH, int64s(layer + "_axes", 0)));
        } else if (readEnds) {
            // Y_h holds each direction's state after the whole sequence: [D, B, H] -> [B, D * H], forward first.
            lastStep = node("Reshape", List.of(node("Transpose", List.of(yH), ints("perm", 1, 0, 2)),
                    int64s(layer + "_ends_shape", 0, directions * h)));
        } else if (readLast) {
            // Runs saved before BidirectionalEnds: LastTimeStep over Bidirectional reads both halves at step length - 1.
            String last = node("Unsqueeze", List.of(
                    node("Sub", List.of(node("Cast", List.of(LENGTHS), intAttribute("to", TensorProto.DataType.INT64_VALUE)),
                            int64s(layer + "_one", 1))),
                    int64s(layer + "_index_axes", 1)));
            lastStep = node("GatherND", List.of(node("Transpose", List.of(sequence), ints("perm", 1, 0, 2)), last),
                    intAttribute("batch_dims", 1));
        }
        return new Recurrent(sequence, directions * h, lastStep);
    }

    /**
     * The recurrent cells: ONNX operator, which of recur's gate blocks fills each of ONNX's, and
     * how recur's bias vector becomes ONNX's [input biases, recurrent biases].
     */
    enum Cell {
        RNN("RNN", 0),
        LSTM("LSTM", 0, 2, 1, 3),  // recur i f o g -> ONNX i o f c
        GRU("GRU", 1, 0, 2);       // recur r z n -> ONNX z r h

        final String op;
        final int[] blocks;

        Cell(String op, int... blocks) {
            this.op = op;
            this.blocks = blocks;
        }

        /** ONNX's operator for a recur cell; empty where ONNX has none. */
        static java.util.Optional<Cell> operatorFor(io.recur.config.Cell cell) {
            return switch (cell) {
                case RNN -> java.util.Optional.of(RNN);
                case LSTM -> java.util.Optional.of(LSTM);
                case GRU -> java.util.Optional.of(GRU);  // reset-after, as ONNX's linear_before_reset = 1
                case MGU -> java.util.Optional.empty();
            };
        }

        static Cell of(String where, Layer layer) {
            if (layer instanceof FusedRecurrent recurrent) {
                io.recur.config.Cell cell = recurrent.getCell();
                return operatorFor(cell).orElseThrow(() -> unsupported(where, "an " + cell.id()
                        + " cell, for which ONNX has no operator"));
            }
            // Runs published before recur had its own rnn cell hold DL4J's SimpleRnn, with the same parameters.
            if (layer instanceof SimpleRnn rnn) {
                if (rnn.hasLayerNorm()) throw unsupported(where, "layer normalisation of SimpleRnn");
                requireActivation(where, rnn.getActivationFn(), ActivationTanH.class, "tanh");
                return RNN;
            }
            throw unsupported(where, "recurrent layer " + layer.getClass().getSimpleName());
        }

        /** Writes ONNX's [Wb, Rb] ({@code 2 * blocks * h} values) from recur's bias {@code b}. */
        void biases(float[] b, int h, float[] out, int at) {
            int g = blocks.length;
            for (int k = 0; k < g; k++) System.arraycopy(b, blocks[k] * h, out, at + k * h, h);
            // GRU reset-after: b = [b_r, b_z, b_in, b_hn]; b_hn is the recurrent bias of ONNX's h block.
            if (this == GRU) System.arraycopy(b, 3 * h, out, at + (g + 2) * h, h);
        }
    }

    /**
     * ONNX's [G*H, size] gate-major weights from recur's row-vector [size, G*H] matrix: row
     * {@code k*h + j} is column {@code blocks[k]*h + j} of {@code m}.
     */
    private static void gateRows(float[][] m, int[] blocks, int h, float[] out, int at) {
        int size = m.length;
        for (int k = 0; k < blocks.length; k++)
            for (int j = 0; j < h; j++)
                for (int i = 0; i < size; i++) out[at + ((k * h + j) * size) + i] = m[i][blocks[k] * h + j];
    }

    private static void requireActivation(String where, IActivation fn, Class<? extends IActivation> expected, String name) {
        if (!expected.isInstance(fn)) throw unsupported(where, "activation " + fn + " (ONNX export needs " + name + ")");
    }

    private static UserInputException unsupported(String where, String what) {
        return new UserInputException("cannot export to ONNX: " + where + " has " + what
                + "; ONNX export covers the networks recur's classify, lm and tag jobs build");
    }

    private String fresh(String stem) {
        return stem + "_" + names++;
    }

    private String node(String op, List<String> inputs, AttributeProto... attributes) {
        String out = fresh(op.toLowerCase(java.util.Locale.ROOT));
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).addAllInput(inputs).addOutput(out);
        for (AttributeProto a : attributes) n.addAttribute(a);
        graph.addNode(n);
        return out;
    }

    private static AttributeProto intAttribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) a.addInts(v);
        return a.build();
    }

    /** A float initializer from a 2D parameter matrix, row-major. */
    private String initializer(String name, INDArray matrix) {
        float[][] m = matrix.toFloatMatrix();
        float[] flat = new float[m.length * m[0].length];
        for (int i = 0; i < m.length; i++) System.arraycopy(m[i], 0, flat, i * m[0].length, m[0].length);
        return initializer(name, flat, m.length, m[0].length);
    }

    private String initializer(String name, float[] values) {
        return initializer(name, values, values.length);
    }

    private String initializer(String name, float[] values, long... dims) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addAllDims(longs(dims)).setRawData(ByteString.copyFrom(bytes.array())));
        return name;
    }

    private String int64s(String name, long... values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asLongBuffer().put(values);
        graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
                .addDims(values.length).setRawData(ByteString.copyFrom(bytes.array())));
        return name;
    }

    private static List<Long> longs(long[] dims) {
        return Arrays.stream(dims).boxed().toList();
    }

    private static ValueInfoProto tensorInfo(String name, TensorProto.DataType type, String... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (String d : dims) shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(d));
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape))).build();
    }
}
