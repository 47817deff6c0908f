package io.recur.export;
import io.recur.task.CorpusTask;
import io.recur.task.Labels;

import io.recur.storage.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * {@code signature.json} of an export: the inputs and outputs of {@code model.onnx}, with shapes
 * (names for the sizes a caller chooses, numbers for the fixed ones) and dtypes.
 *
 * @param task      classify, lm or tag
 * @param irVersion the ONNX IR version of model.onnx
 * @param opset     the ONNX operator set it uses
 */
public record ModelSignature(String task, long irVersion, long opset, List<Tensor> inputs, List<Tensor> outputs) {
    static final String FILE = "signature.json";

    /** One input or output; {@code shape} entries are size names ("batch", "time") or numbers as text. */
    public record Tensor(String name, String dtype, List<String> shape, String description) {}

    static ModelSignature of(CorpusTask task, int vocabularySize, int labelCount) {
        List<Tensor> inputs = List.of(
                new Tensor(OnnxGraph.TOKENS, "int64", List.of(OnnxGraph.BATCH, OnnxGraph.TIME),
                        "token ids (vocab.json), batch-first; positions at or past a row's length are padding "
                                + "and must hold a valid id, e.g. pad = 0"),
                new Tensor(OnnxGraph.LENGTHS, "int32", List.of(OnnxGraph.BATCH),
                        "real steps of each row, 1 to time"));
        String outputs = Integer.toString(task.labels() == Labels.NONE ? vocabularySize : labelCount);
        Tensor output = new Tensor(OnnxGraph.PROBABILITIES, "float32", task.head().manyToOne()
                ? List.of(OnnxGraph.BATCH, outputs) : List.of(OnnxGraph.BATCH, OnnxGraph.TIME, outputs),
                task.prediction().outputMeaning());
        return new ModelSignature(task.label(), OnnxGraph.IR_VERSION, OnnxGraph.OPSET, inputs, List.of(output));
    }

    void write(OutputStream out) throws IOException {
        Json.write(out, this);
    }

    public static ModelSignature read(InputStream in) throws IOException {
        return Json.read(in, ModelSignature.class);
    }
}
