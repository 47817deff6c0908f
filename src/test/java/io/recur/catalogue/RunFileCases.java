package io.recur.catalogue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Random;

import static io.recur.catalogue.BadInput.accepts;
import static io.recur.catalogue.BadInput.fails;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Run directories that are tampered with, incomplete or of the wrong task for the command. */
final class RunFileCases {
    private RunFileCases() {}

    static List<BadInput> rows() {
        return List.of(
                fails("tampered vocab.json", "predict", ws -> {
                    var run = ws.classifierRun("run");
                    Files.writeString(run.resolve("vocab.json"), Files.readString(run.resolve("vocab.json")).replace("\"free\"", "\"fre3\""));
                    ws.stdin("free prize\n");
                    return new String[]{"predict", "--model", run.toString()};
                }, 2, "vocab.json"),
                fails("generate from a classifier", "generate",
                        ws -> new String[]{"generate", "--model", ws.classifierRun("run").toString()}, 2, "language model"),
                fails("labels.json with an extra label", "predict", ws -> {
                    Path run = ws.classifierRun("run");
                    addLabel(run);
                    ws.stdin("free prize\n");
                    return new String[]{"predict", "--model", run.toString()};
                }, 2, "labels.json"),
                fails("labels.json with one label", "evaluate", ws -> {
                    Path run = ws.classifierRun("run");
                    Files.writeString(run.resolve("labels.json"), "{\"labels\": [\"ham\"]}");
                    return new String[]{"evaluate", "--model", run.toString(), "--input", run.resolve("job.conf").toString()};
                }, 2, "labels.json"),
                fails("model.zip of random bytes", "generate", ws -> {
                    Path run = ws.languageModelRun("run");
                    randomBytes(run.resolve("model.zip"));
                    return new String[]{"generate", "--model", run.toString()};
                }, 2, "model.zip"),
                fails("model.zip of another run", "predict", ws -> {
                    Path run = ws.classifierRun("run");
                    Files.copy(ws.languageModelRun("other").resolve("model.zip"), run.resolve("model.zip"),
                            StandardCopyOption.REPLACE_EXISTING);
                    return new String[]{"predict", "--model", run.toString()};
                }, 2, "model.zip"),
                fails("manifest.json that is not one", "predict", ws -> {
                    Path run = ws.classifierRun("run");
                    Files.writeString(run.resolve("manifest.json"), "[]");
                    return new String[]{"predict", "--model", run.toString()};
                }, 2, "manifest.json"),
                accepts("run published before manifests", "predict", ws -> {
                    Path run = ws.classifierRun("run");
                    Files.delete(run.resolve("manifest.json"));
                    ws.stdin("free prize\n");
                    return new String[]{"predict", "--model", run.toString()};
                }, Checks.stdoutLines(1).and((ws, outcome) -> assertTrue(outcome.stderr().startsWith("recur: warning: "
                        + ws.root().resolve("run/manifest.json") + " is missing"), outcome::toString))),
                fails("labels.json with an extra label, no manifest", "predict", ws -> {
                    Path run = ws.classifierRun("run");
                    Files.delete(run.resolve("manifest.json"));
                    addLabel(run);
                    return new String[]{"predict", "--model", run.toString()};
                }, 2, "labels.json: 3 labels, but the network in model.zip has 2 outputs"),
                fails("model.zip of random bytes, no manifest", "predict", ws -> {
                    Path run = ws.classifierRun("run");
                    Files.delete(run.resolve("manifest.json"));
                    randomBytes(run.resolve("model.zip"));
                    return new String[]{"predict", "--model", run.toString()};
                }, 2, "model.zip: cannot read it (not a DL4J model"));
    }

    private static void addLabel(Path run) throws IOException {
        Path labels = run.resolve("labels.json");
        Files.writeString(labels, Files.readString(labels).replace("\"spam\"", "\"spam\", \"eggs\""));
    }

    private static void randomBytes(Path file) throws IOException {
        byte[] bytes = new byte[8192];
        new Random(5).nextBytes(bytes);
        Files.write(file, bytes);
    }
}
