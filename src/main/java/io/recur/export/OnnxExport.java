package io.recur.export;

import io.recur.config.UserInputException;
import io.recur.job.SavedRun;
import io.recur.provenance.BuildInfo;
import io.recur.task.CorpusTask;
import io.recur.vocab.VocabularyFile;
import onnx.Onnx.ModelProto;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Writes a run as an ONNX export directory:
 * <pre>
 *   model.onnx       the network ({@link OnnxGraph})
 *   vocab.json       token ids, the run's own file format ({@link VocabularyFile})
 *   labels.json      classes or tags in output order (classify, tag)
 *   tokenizer.json   {@link TokenizerSettings}
 *   signature.json   {@link ModelSignature}
 * </pre>
 * The directory is written under a hidden sibling name and renamed into place when complete, so
 * it never exists half-written, and an existing directory is never replaced.
 */
public final class OnnxExport {
    static final String MODEL = "model.onnx";
    static final String VOCAB = "vocab.json";
    static final String LABELS = "labels.json";

    private OnnxExport() {}

    /**
     * @param source how the run was named on the command line, for messages
     * @return the published directory
     */
    public static Path write(SavedRun run, String source, Path output) {
        if (run.spec().task().synthetic())
            throw new UserInputException("--model " + source + ": job.task = " + run.spec().task().label()
                    + " generates its data and reads no text; ONNX export covers classify, lm and tag runs");
        // The exported tokenizer settings give a reader one unknown id; the classes are recur's own rule.
        if (run.vocab().hasUnknownClasses())
            throw new UserInputException("--model " + source + ": vocab.unknown-word-classes = true maps unseen words "
                    + "to classes of their shape and suffix, which the exported tokenizer settings cannot express; "
                    + "ONNX export covers vocabularies with one unknown token");
        if (Files.exists(output, LinkOption.NOFOLLOW_LINKS))
            throw new UserInputException("--output " + output + " already exists; export never replaces a directory, "
                    + "give a new one");
        Map<String, String> metadata = new LinkedHashMap<>();
        CorpusTask task = CorpusTask.of(run.spec().task());
        metadata.put("recur.task", task.label());
        metadata.put("recur.job", run.provenance().jobName());
        metadata.put("recur.run", run.provenance().runId());
        metadata.put("recur.vocab-sha256", run.provenance().vocabSha256());
        ModelProto model = OnnxGraph.of(run.network(), task, run.vocab().size(), BuildInfo.current().recurVersion(), metadata);
        int labelCount = run.labels() == null ? 0 : run.labels().size();
        ModelSignature signature = ModelSignature.of(task, run.vocab().size(), labelCount);
        TokenizerSettings tokenizer = TokenizerSettings.of(run.spec());

        Path parent = output.toAbsolutePath().getParent();
        Path temporary = parent.resolve(".incomplete-" + output.getFileName() + "-"
                + String.format("%08x", ThreadLocalRandom.current().nextInt()));
        try {
            Files.createDirectories(parent);
            Files.createDirectory(temporary);
            try {
                try (OutputStream out = Files.newOutputStream(temporary.resolve(MODEL))) {
                    model.writeTo(out);
                }
                try (OutputStream out = Files.newOutputStream(temporary.resolve(VOCAB))) {
                    VocabularyFile.write(run.vocab(), out);
                }
                if (run.labels() != null) {
                    try (OutputStream out = Files.newOutputStream(temporary.resolve(LABELS))) {
                        VocabularyFile.write(run.labels(), out);
                    }
                }
                try (OutputStream out = Files.newOutputStream(temporary.resolve(TokenizerSettings.FILE))) {
                    tokenizer.write(out);
                }
                try (OutputStream out = Files.newOutputStream(temporary.resolve(ModelSignature.FILE))) {
                    signature.write(out);
                }
                // Without ATOMIC_MOVE, move refuses an existing target (rename(2) alone would replace an
                // empty directory); on one file system it is still a single rename.
                Files.move(temporary, output);
            } catch (FileAlreadyExistsException e) {
                throw new UserInputException("--output " + output + " appeared while exporting; export never replaces "
                        + "a directory, give a new one", e);
            } finally {
                deleteTree(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing the export " + output + ": " + e.getMessage(), e);
        }
        return output;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
