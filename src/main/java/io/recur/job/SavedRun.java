package io.recur.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.recur.config.JobSpec;
import io.recur.config.JobSpecLoader;
import io.recur.config.Task;
import io.recur.config.UserInputException;
import io.recur.provenance.ModelProvenance;
import io.recur.vocab.LabelSet;
import io.recur.vocab.Vocabulary;
import io.recur.vocab.VocabularyFile;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The files of a run directory and how they are written and read back. A run holds the model
 * with its updater state, vocabulary, labels (classes or tags), the resolved spec and the provenance; loading
 * checks the vocabulary against the provenance so that a model never runs with other ids.
 */
public record SavedRun(JobSpec spec, MultiLayerNetwork network, Vocabulary vocab, LabelSet labels,
                       ModelProvenance provenance) {
    static final String MODEL = "model.zip";
    static final String VOCAB = "vocab.json";
    static final String LABELS = "labels.json";
    static final String SPEC = "job.conf";
    static final String PROVENANCE = "provenance.json";
    static final String METRICS = "metrics.json";
    static final String TRAINING_LOG = "training-log.jsonl";

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT);

    void writeTo(RunDirectory dir) throws IOException {
        try (OutputStream out = dir.create(MODEL)) {
            ModelSerializer.writeModel(network, out, true);
        }
        try (OutputStream out = dir.create(VOCAB)) {
            VocabularyFile.write(vocab, out);
        }
        if (labels != null) {
            try (OutputStream out = dir.create(LABELS)) {
                VocabularyFile.write(labels, out);
            }
        }
        try (OutputStream out = dir.create(SPEC)) {
            out.write(spec.resolvedText().getBytes(StandardCharsets.UTF_8));
        }
        try (OutputStream out = dir.create(PROVENANCE)) {
            JSON.writeValue(out, provenance);
        }
    }

    /** Reads a published run; a missing or inconsistent file is the user's input error. */
    public static SavedRun read(String runDir, Configuration hadoop) {
        Path dir = new Path(runDir);
        try {
            FileSystem fs = dir.getFileSystem(hadoop);
            if (!fs.exists(new Path(dir, MODEL)))
                throw new UserInputException("--model " + runDir + ": no " + MODEL + " there; give a run directory "
                        + "such as runs/<job>/<run id>");
            JobSpec spec;
            try (InputStream in = fs.open(new Path(dir, SPEC))) {
                spec = JobSpecLoader.fromResolvedText(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                        new Path(dir, SPEC).toString());
            }
            Vocabulary vocab;
            try (InputStream in = fs.open(new Path(dir, VOCAB))) {
                vocab = VocabularyFile.read(in);
            }
            LabelSet labels = null;
            if (spec.task() == Task.CLASSIFY || spec.task() == Task.TAG) {
                try (InputStream in = fs.open(new Path(dir, LABELS))) {
                    labels = VocabularyFile.readLabels(in);
                }
            }
            ModelProvenance provenance;
            try (InputStream in = fs.open(new Path(dir, PROVENANCE))) {
                provenance = JSON.readValue(in, ModelProvenance.class);
            }
            String sha = VocabularyFile.sha256(vocab);
            if (!sha.equals(provenance.vocabSha256()))
                throw new UserInputException(new Path(dir, VOCAB) + ": vocabulary hash " + sha
                        + " differs from the model's " + provenance.vocabSha256() + "; the run directory was altered");
            MultiLayerNetwork net;
            try (InputStream in = fs.open(new Path(dir, MODEL))) {
                net = ModelSerializer.restoreMultiLayerNetwork(in, true);
            }
            return new SavedRun(spec, net, vocab, labels, provenance);
        } catch (IOException e) {
            throw new UserInputException("--model " + runDir + ": cannot read the run (" + e.getMessage() + ")", e);
        }
    }
}
