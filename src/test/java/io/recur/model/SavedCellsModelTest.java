package io.recur.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipFile;

import io.recur.config.Cell;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A model saved by recur eac200f, whose configuration names the layers {@code io.recur.model.Rnn},
 * {@code Lstm} and {@code Gru} (see the folder's README): it loads as {@link FusedRecurrent} layers
 * of those cells and computes what it computed then.
 */
@DisplayName("A model saved with the Rnn, Lstm and Gru layer names")
class SavedCellsModelTest {
    private static final Path DIR = Path.of("src/test/resources/saved-models/cells-eac200f");
    private static MultiLayerNetwork net;

    @BeforeAll
    static void load() throws IOException {
        net = ModelSerializer.restoreMultiLayerNetwork(DIR.resolve("model.zip").toFile(), false);
    }

    @Test
    void loadsEachOldNameAsItsCell() {
        var confs = net.getLayerWiseConfigurations();
        assertEquals(Cell.RNN, ((FusedRecurrent) confs.getConf(0).getLayer()).getCell());
        assertEquals(Cell.LSTM, ((FusedRecurrent) confs.getConf(1).getLayer()).getCell());
        Bidirectional both = assertInstanceOf(Bidirectional.class, confs.getConf(2).getLayer());
        assertEquals(Cell.GRU, ((FusedRecurrent) both.getFwd()).getCell());
        assertInstanceOf(FusedRecurrentLayer.class, net.getLayer(1));
    }

    @Test
    void refusesAResetBeforeGruNamingIt() throws IOException {
        String json;
        try (ZipFile zip = new ZipFile(DIR.resolve("model.zip").toFile())) {
            json = new String(zip.getInputStream(zip.getEntry("configuration.json")).readAllBytes(), StandardCharsets.UTF_8);
        }
        String resetBefore = json.replace("\"resetAfter\" : true", "\"resetAfter\" : false");
        assertNotEquals(json, resetBefore);
        var e = assertThrows(RuntimeException.class, () -> MultiLayerConfiguration.fromJson(resetBefore));
        String messages = "";
        for (Throwable t = e; t != null; t = t.getCause()) messages += t.getMessage() + "\n";
        assertTrue(messages.contains("reset-before GRU"), messages);
    }

    @Test
    void computesTheOutputsItComputedWhenSaved() throws IOException {
        int batch = 2, inputs = 3, steps = 5;
        INDArray x = Nd4j.create(DataType.FLOAT, batch, inputs, steps);
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < inputs; i++)
                for (int t = 0; t < steps; t++) x.putScalar(new int[] {b, i, t}, Math.sin(1 + 7 * b + 3 * i + t));
        INDArray mask = Nd4j.ones(DataType.FLOAT, batch, steps);
        for (int t = 3; t < steps; t++) mask.putScalar(1, t, 0);
        INDArray out = net.output(x, false, mask, mask);

        List<String> lines = Files.readAllLines(DIR.resolve("expected-output.txt"));
        int classes = (int) out.size(1);
        for (int b = 0; b < batch; b++)
            for (int k = 0; k < classes; k++) {
                String[] expected = lines.get(b * classes + k).trim().split(" ");
                for (int t = 0; t < steps; t++)
                    assertEquals(Float.parseFloat(expected[t]), out.getFloat(b, k, t), 1e-6,
                            "example " + b + ", class " + k + ", step " + t);
            }
    }
}
