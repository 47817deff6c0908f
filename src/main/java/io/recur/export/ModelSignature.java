package io.recur.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.recur.config.Task;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;

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
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One input or output; {@code shape} entries are size names ("batch", "time") or numbers as text. */
    public record Tensor(String name, String dtype, List<String> shape, String description) {}

    static ModelSignature of(Task task, int vocabularySize, int labelCount) {
        List<Tensor> inputs = List.of(
                new Tensor(OnnxGraph.TOKENS, "int64", List.of(OnnxGraph.BATCH, OnnxGraph.TIME),
                        "token ids (vocab.json), batch-first; positions at or past a row's length are padding "
                                + "and must hold a valid id, e.g. pad = 0"),
                new Tensor(OnnxGraph.LENGTHS, "int32", List.of(OnnxGraph.BATCH),
                        "real steps of each row, 1 to time"));
        Tensor output = switch (task) {
            case CLASSIFY -> new Tensor(OnnxGraph.PROBABILITIES, "float32",
                    List.of(OnnxGraph.BATCH, Integer.toString(labelCount)),
                    "probability of each label (labels.json order), read at each row's last real step");
            case LM -> new Tensor(OnnxGraph.PROBABILITIES, "float32",
                    List.of(OnnxGraph.BATCH, OnnxGraph.TIME, Integer.toString(vocabularySize)),
                    "at each step, the distribution of the next token over vocab.json; steps at or past length are padding");
            case TAG -> new Tensor(OnnxGraph.PROBABILITIES, "float32",
                    List.of(OnnxGraph.BATCH, OnnxGraph.TIME, Integer.toString(labelCount)),
                    "at each step, the probability of each tag (labels.json order); steps at or past length are padding");
            case SEQUENCE_REGRESSION, SEQUENCE_COPY ->
                    throw new IllegalArgumentException(task + " has no text signature");
        };
        return new ModelSignature(task.name().toLowerCase(Locale.ROOT), OnnxGraph.IR_VERSION, OnnxGraph.OPSET,
                inputs, List.of(output));
    }

    void write(OutputStream out) throws IOException {
        JSON.writeValue(out, this);
    }

    public static ModelSignature read(InputStream in) throws IOException {
        return JSON.readValue(in, ModelSignature.class);
    }
}
