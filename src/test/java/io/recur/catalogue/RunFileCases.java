package io.recur.catalogue;

import java.nio.file.Files;
import java.util.List;

import static io.recur.catalogue.BadInput.fails;

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
                        ws -> new String[]{"generate", "--model", ws.classifierRun("run").toString()}, 2, "language model"));
    }
}
