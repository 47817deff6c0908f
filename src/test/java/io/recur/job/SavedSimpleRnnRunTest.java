package io.recur.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.recur.config.Task;
import io.recur.data.WarmStart;
import io.recur.data.WarmStartOutcome;
import io.recur.model.NetworkFactory;
import io.recur.model.NetworkShape;
import io.recur.model.OutputHead;
import io.recur.model.FusedRecurrent;
import io.recur.config.Cell;
import io.recur.run.SavedRun;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A run directory published by recur 9f128d6, when {@code model.cell = rnn} was DL4J's SimpleRnn
 * (see the folder's README): it must keep loading and predicting as it did, and a warm start from
 * it must give recur's {@link Rnn} the same function.
 */
@DisplayName("A run saved with DL4J's SimpleRnn")
class SavedSimpleRnnRunTest {
    private static final Path RUN = Path.of("src/test/resources/saved-runs/simple-rnn-9f128d6");
    private static final int TOP_K = 5;

    private static SavedRun run;
    private static List<String> inputs;
    private static List<String> expected;

    @BeforeAll
    static void readRun() throws IOException {
        run = SavedRun.read(RUN.toString(), new Configuration());
        inputs = Files.readAllLines(RUN.resolve("predict-input.txt"));
        expected = Files.readAllLines(RUN.resolve("predict-expected.txt"));
    }

    /**
     * The predictions of each input line but its last character. predict at 9f128d6 answered a
     * language model for the position before a line's last token (issue 12, item 13); today's answers
     * for the line without that token are the same distributions, if the model loaded unchanged.
     */
    private static List<String> predictions(SavedRun from) {
        PredictJob job = new PredictJob(from, TOP_K);
        return inputs.stream().map(line -> job.predict(line.substring(0, line.length() - 1))).toList();
    }

    @Test
    void loadsWithItsRecurrentLayersStillDl4jsSimpleRnn() {
        var conf = run.network().getLayerWiseConfigurations();
        long simpleRnnLayers = conf.getConfs().stream().filter(c -> c.getLayer() instanceof SimpleRnn).count();
        assertEquals(2, simpleRnnLayers, conf.toJson());
    }

    @Test
    void predictsExactlyWhatItPredictedWhenPublished() {
        assertEquals(expected, predictions(run));
    }

    @Test
    void warmStartGivesRecursRnnTheSameFunction() {
        assertEquals(Task.LM, run.spec().task());
        NetworkShape shape = new NetworkShape(OutputHead.CLASS_PER_STEP, run.vocab().size(), run.vocab().size());
        MultiLayerNetwork net = NetworkFactory.create(run.spec().model(), shape, 1);
        new WarmStart(run.vocab(), null, run, WarmStartOutcome.none()).copyInto(net);
        assertEquals(Cell.RNN, assertInstanceOf(FusedRecurrent.class, net.getLayerWiseConfigurations().getConf(1).getLayer()).getCell());

        SavedRun migrated = new SavedRun(run.spec(), net, run.vocab(), run.labels(), run.provenance());
        assertEquals(expected, predictions(migrated));
    }
}
