package io.recur.job;

import io.recur.config.JobSpec;
import io.recur.config.JobSpecLoader;
import io.recur.model.NetworkFactory;
import io.recur.model.NetworkShape;
import io.recur.model.OutputHead;
import io.recur.provenance.ModelProvenance;
import io.recur.run.RunDirectory;
import io.recur.run.SavedRun;
import io.recur.task.TaskKind;
import io.recur.vocab.LabelSet;
import io.recur.vocab.Vocabulary;
import io.recur.vocab.VocabularyFile;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Runs with freshly initialised networks, for tests of what happens around a model (generation
 * mechanics, the command line) rather than what it learned. Built from the test job specs.
 */
public final class UntrainedRuns {
    private UntrainedRuns() {}

    /** A language model on the moby-slice spec with {@code overrides}, over the given corpus tokens. */
    public static SavedRun languageModel(List<String> tokens, String... overrides) {
        JobSpec spec = JobSpecLoader.load(Path.of("src/test/resources/jobs/moby-slice.conf"), List.of(overrides));
        Vocabulary vocab = vocabulary(tokens);
        MultiLayerNetwork net = NetworkFactory.create(spec.model(),
                new NetworkShape(OutputHead.CLASS_PER_STEP, vocab.size(), vocab.size()), spec.seed());
        return new SavedRun(spec, net, vocab, null, provenance(spec, vocab));
    }

    /** A ham/spam classifier on the sms-slice spec. */
    public static SavedRun classifier(List<String> tokens) {
        return classifier(tokens, 7);
    }

    /** A ham/spam classifier on the sms-slice spec, its weights drawn with {@code seed}: another model for each seed. */
    public static SavedRun classifier(List<String> tokens, long seed) {
        JobSpec spec = JobSpecLoader.load(Path.of("src/test/resources/jobs/sms-slice.conf"), List.of("job.seed=" + seed));
        Vocabulary vocab = vocabulary(tokens);
        MultiLayerNetwork net = NetworkFactory.create(spec.model(), new NetworkShape(OutputHead.CLASS_AT_LAST_STEP, vocab.size(), 2),
                spec.seed());
        return new SavedRun(spec, net, vocab, new LabelSet(List.of("ham", "spam")), provenance(spec, vocab));
    }

    /** A tagger on the brown-slice spec with the tags {@code NN}, {@code VB}, {@code DT}. */
    public static SavedRun tagger(List<String> tokens) {
        JobSpec spec = JobSpecLoader.load(Path.of("src/test/resources/jobs/brown-slice.conf"), List.of());
        Vocabulary vocab = vocabulary(tokens);
        MultiLayerNetwork net = NetworkFactory.create(spec.model(), new NetworkShape(OutputHead.CLASS_PER_STEP, vocab.size(), 3), spec.seed());
        return new SavedRun(spec, net, vocab, new LabelSet(List.of("DT", "NN", "VB")), provenance(spec, vocab));
    }

    /** A run of a synthetic task ({@code sequence-copy}, {@code sequence-regression}): no text, no vocabulary. */
    public static SavedRun synthetic(String task) {
        JobSpec spec = JobSpecLoader.fromResolvedText("""
                job { name = "synthetic-untrained", task = %s, seed = 5 }
                synthetic { steps = 10, train-examples = 100, validation-examples = 20, test-examples = 20 }
                model { cell = lstm, hidden-size = 4, embedding-size = 0 }
                """.formatted(task), "synthetic-untrained.conf");
        Vocabulary vocab = vocabulary(List.of());
        MultiLayerNetwork net = NetworkFactory.create(spec.model(), new NetworkShape(TaskKind.of(spec.task()).head(), 10, 10), spec.seed());
        return new SavedRun(spec, net, vocab, null, provenance(spec, vocab));
    }

    /** Writes the run as a published run directory under {@code outputDir}; returns its path. */
    public static String publish(SavedRun run, Path outputDir) {
        RunDirectory dir = RunDirectory.create(outputDir.toString(), run.spec().name(), new Configuration());
        try {
            return run.publish(dir).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Vocabulary vocabulary(List<String> tokens) {
        return Vocabulary.of(tokens, new ArrayList<>(Collections.nCopies(tokens.size(), 1L)));
    }

    private static ModelProvenance provenance(JobSpec spec, Vocabulary vocab) {
        return ModelProvenance.of(spec.name(), "untrained", "none", 0, VocabularyFile.sha256(vocab), "none",
                Instant.EPOCH);
    }
}
