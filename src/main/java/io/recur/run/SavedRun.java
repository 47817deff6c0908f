package io.recur.run;

import io.recur.config.JobSpec;
import io.recur.config.JobSpecLoader;
import io.recur.config.UserInputException;
import io.recur.provenance.ModelProvenance;
import io.recur.task.CorpusTask;
import io.recur.task.Labels;
import io.recur.task.TaskKind;
import io.recur.provenance.RunManifest;
import io.recur.storage.Json;
import io.recur.train.EpochRecord;
import io.recur.vocab.LabelSet;
import io.recur.vocab.Vocabulary;
import io.recur.vocab.VocabularyFile;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The files of a run directory and how they are written and read back: the one writer of a run
 * directory. A run holds the model with its updater state, vocabulary, labels (classes or tags), the
 * resolved spec and the provenance; a trained run also its {@link RunMetrics}, {@link TrainingLog}
 * and report; and once published a {@link RunManifest} of them all. Loading checks the files
 * against it and against each other, so that a model never runs with other ids or labels.
 */
public record SavedRun(JobSpec spec, MultiLayerNetwork network, Vocabulary vocab, LabelSet labels,
                       ModelProvenance provenance) {
    static final String MODEL = "model.zip";
    static final String VOCAB = "vocab.json";
    static final String LABELS = "labels.json";
    static final String SPEC = "job.conf";
    static final String PROVENANCE = "provenance.json";
    static final String METRICS = RunMetrics.FILE;
    static final String TRAINING_LOG = TrainingLog.FILE;

    /**
     * Writes every file of a trained run into {@code dir} and publishes it.
     *
     * @param report the report's files by name ({@code report.html}, ...)
     * @return where it was published
     */
    public Path publish(RunDirectory dir, RunMetrics metrics, List<EpochRecord> log, Map<String, byte[]> report) throws IOException {
        writeModelFiles(dir);
        try (OutputStream out = dir.create(METRICS)) {
            metrics.write(out);
        }
        try (OutputStream out = dir.create(TRAINING_LOG)) {
            TrainingLog.write(out, log);
        }
        for (var file : report.entrySet()) {
            try (OutputStream out = dir.create(file.getKey())) {
                out.write(file.getValue());
            }
        }
        return dir.publish();
    }

    /** Publishes the model alone, as a run that has not been trained or evaluated. */
    public Path publish(RunDirectory dir) throws IOException {
        writeModelFiles(dir);
        return dir.publish();
    }

    private void writeModelFiles(RunDirectory dir) throws IOException {
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
            Json.write(out, provenance);
        }
    }

    /** As {@link #read(String, Configuration, PrintStream)}, warning on stderr. */
    public static SavedRun read(String runDir, Configuration hadoop) {
        return read(runDir, hadoop, System.err);
    }

    /**
     * Reads a published run and checks it: every file against {@code manifest.json}, then what the
     * files say against each other (the vocabulary against the provenance, the labels and the
     * vocabulary against the network's output). A missing, altered or inconsistent file is the
     * user's input error naming that file. A run published before recur wrote manifests loads with
     * a warning on {@code warnings}, checked as far as its files allow.
     */
    public static SavedRun read(String runDir, Configuration hadoop, PrintStream warnings) {
        if (runDir == null || runDir.isBlank())
            throw new UserInputException("--model: empty; give a run directory such as runs/<job>/<run id>");
        Path dir = new Path(runDir);
        FileSystem fs;
        try {
            fs = dir.getFileSystem(hadoop);
            if (!fs.exists(new Path(dir, MODEL)))
                throw new UserInputException("--model " + runDir + ": no " + MODEL + " there; give a run directory "
                        + "such as runs/<job>/<run id>");
        } catch (IOException e) {
            throw new UserInputException("--model " + runDir + ": cannot read the run (" + e.getMessage() + ")", e);
        }
        RunManifest manifest = manifest(fs, dir);
        JobSpec spec = readFile(fs, dir, manifest, SPEC, in -> JobSpecLoader.fromResolvedText(
                new String(in.readAllBytes(), StandardCharsets.UTF_8), new Path(dir, SPEC).toString()));
        Vocabulary vocab = readFile(fs, dir, manifest, VOCAB, VocabularyFile::read);
        TaskKind task = TaskKind.of(spec.task());
        LabelSet labels = task instanceof CorpusTask c && c.labels() != Labels.NONE
                ? readFile(fs, dir, manifest, LABELS, VocabularyFile::readLabels) : null;
        ModelProvenance provenance = readFile(fs, dir, manifest, PROVENANCE, in -> Json.read(in, ModelProvenance.class));
        String sha = VocabularyFile.sha256(vocab);
        if (!sha.equals(provenance.vocabSha256()))
            throw new UserInputException(new Path(dir, VOCAB) + ": vocabulary hash " + sha
                    + " differs from the model's " + provenance.vocabSha256() + "; the run directory was altered");
        MultiLayerNetwork net = readFile(fs, dir, manifest, MODEL, in -> {
            try {
                return ModelSerializer.restoreMultiLayerNetwork(in, true);
            } catch (IOException | RuntimeException e) {
                // DL4J reports a zip that is no model as anything from a ZipException to a NullPointerException.
                throw new IOException("not a DL4J model (" + e + ")", e);
            }
        });
        if (task instanceof CorpusTask c) requireOutputSize(dir, c, net, vocab, labels);
        if (manifest == null)
            warnings.println("recur: warning: " + new Path(dir, RunManifest.FILE) + " is missing: the run was published "
                    + "before recur wrote manifests, so its files were checked only against each other; train it "
                    + "again to get one");
        return new SavedRun(spec, net, vocab, labels, provenance);
    }

    /** A run directory's manifest after checking every file it lists; null for a run from before manifests. */
    private static RunManifest manifest(FileSystem fs, Path dir) {
        Path file = new Path(dir, RunManifest.FILE);
        try {
            RunManifest manifest = RunManifest.read(fs, dir);
            if (manifest == null) return null;
            List<String> wrong = manifest.mismatches(fs, dir);
            if (!wrong.isEmpty())
                throw new UserInputException(RunManifest.describe(dir, wrong) + "; the run directory was altered after "
                        + "it was published: use the run as published, or train again");
            return manifest;
        } catch (IOException e) {
            throw new UserInputException(file + ": cannot read it (" + e.getMessage() + "); the run directory was "
                    + "altered after it was published: use the run as published, or train again", e);
        }
    }

    @FunctionalInterface
    private interface FileReader<T> {
        T read(InputStream in) throws IOException;
    }

    /** One file of the run, which the manifest must list when there is one; its error names the file. */
    private static <T> T readFile(FileSystem fs, Path dir, RunManifest manifest, String name, FileReader<T> reader) {
        Path file = new Path(dir, name);
        if (manifest != null && !manifest.lists(name))
            throw new UserInputException(file + ": not in " + RunManifest.FILE + ", so it was added after the run was "
                    + "published; remove it or use the run as published");
        try (InputStream in = fs.open(file)) {
            return reader.read(in);
        } catch (FileNotFoundException e) {
            throw new UserInputException(file + ": missing; a run directory holds " + MODEL + ", " + VOCAB + ", "
                    + SPEC + ", " + PROVENANCE + " (and " + LABELS + " for classify and tag)", e);
        } catch (IOException | IllegalArgumentException e) {
            throw new UserInputException(file + ": cannot read it (" + e.getMessage() + ")", e);
        }
    }

    /** A network whose output does not match the labels (or the vocabulary of a language model) would answer with other ids. */
    private static void requireOutputSize(Path dir, CorpusTask task, MultiLayerNetwork net, Vocabulary vocab,
                                          LabelSet labels) {
        var layers = net.getLayerWiseConfigurations();
        if (!(layers.getConf(layers.getConfs().size() - 1).getLayer() instanceof FeedForwardLayer output)) return;
        long outputs = output.getNOut();
        int expected = task.outputSize(vocab, labels);
        if (expected == outputs) return;
        throw new UserInputException(task.labels() == Labels.NONE
                ? new Path(dir, VOCAB) + ": " + vocab.size() + " ids, but the network in " + MODEL + " has " + outputs
                        + " outputs; the run directory was altered"
                : new Path(dir, LABELS) + ": " + labels.size() + " labels, but the network in " + MODEL + " has "
                        + outputs + " outputs; the run directory was altered");
    }
}
