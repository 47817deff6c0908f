package io.recur.catalogue;

import io.recur.job.UntrainedRuns;

import java.nio.file.Files;
import java.util.List;

import static io.recur.catalogue.BadInput.fails;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Runs that cannot be exported, and export command lines that would replace the user's files. */
final class ExportCases {
    private ExportCases() {}

    static List<BadInput> rows() {
        return List.of(
                fails("export of a synthetic run", "export", ws -> new String[]{"export", "--model",
                        UntrainedRuns.publish(UntrainedRuns.synthetic("sequence-copy"), ws.root().resolve("given")),
                        "--format", "onnx", "--output", ws.root().resolve("exported").toString()}, 2, "sequence-copy")
                        .leaving((ws, outcome) -> assertFalse(Files.exists(ws.root().resolve("exported")),
                                "no export directory")),
                fails("export over an existing directory", "export", ws -> {
                    ws.file("exported/notes.txt", "mine");
                    return new String[]{"export", "--model", classifier(ws), "--format", "onnx",
                            "--output", ws.root().resolve("exported").toString()};
                }, 2, "already exists"),
                fails("unknown export format", "export", ws -> new String[]{"export", "--model", classifier(ws),
                        "--format", "tflite", "--output", ws.root().resolve("exported").toString()}, 2, "--format tflite")
                        .leaving((ws, outcome) -> assertFalse(Files.exists(ws.root().resolve("exported")),
                                "no export directory")));
    }

    private static String classifier(Workspace ws) {
        return UntrainedRuns.publish(UntrainedRuns.classifier(List.of("free", "prize", "call")), ws.root().resolve("given"));
    }
}
