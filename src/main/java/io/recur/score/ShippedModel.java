package io.recur.score;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.recur.config.JobSpecLoader;
import io.recur.run.SavedRun;
import io.recur.provenance.ModelProvenance;
import io.recur.vocab.LabelSet;
import io.recur.vocab.Vocabulary;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * A loaded run in the form Spark broadcasts to the executors: the network as DL4J's serialised
 * configuration and parameters (without updater state, which scoring never reads), and the
 * resolved spec, vocabulary, labels and provenance. Each task rebuilds its own network from it,
 * since a {@link MultiLayerNetwork} keeps per-call state and is not safe to share between threads.
 */
final class ShippedModel implements Serializable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final byte[] network;
    private final String resolvedSpec;
    private final String specOrigin;
    private final Vocabulary vocab;
    private final LabelSet labels;
    private final String provenance;

    private ShippedModel(byte[] network, String resolvedSpec, String specOrigin, Vocabulary vocab, LabelSet labels,
                         String provenance) {
        this.network = network;
        this.resolvedSpec = resolvedSpec;
        this.specOrigin = specOrigin;
        this.vocab = vocab;
        this.labels = labels;
        this.provenance = provenance;
    }

    static ShippedModel of(SavedRun run, String runDir) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ModelSerializer.writeModel(run.network(), bytes, false);
            return new ShippedModel(bytes.toByteArray(), run.spec().resolvedText(), runDir + "/job.conf", run.vocab(),
                    run.labels(), JSON.writeValueAsString(run.provenance()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise the model of " + runDir + ": " + e.getMessage(), e);
        }
    }

    /** The run as it was loaded on the driver, with a network of its own. */
    SavedRun restore() {
        try {
            MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(network), false);
            return new SavedRun(JobSpecLoader.fromResolvedText(resolvedSpec, specOrigin), net, vocab, labels,
                    JSON.readValue(provenance, ModelProvenance.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rebuild the shipped model: " + e.getMessage(), e);
        }
    }
}
