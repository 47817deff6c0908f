package io.recur.catalogue;

import io.recur.job.UntrainedRuns;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

import static io.recur.catalogue.BadInput.accepts;
import static io.recur.catalogue.BadInput.fails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** score command lines naming what is not there, or an output it must not replace. */
final class ScoreCases {
    private ScoreCases() {}

    static List<BadInput> rows() {
        BadInput.Check noOutput = (ws, outcome) -> assertFalse(Files.exists(ws.root().resolve("scored")), "no output");
        return List.of(
                fails("score with a missing model", "score", ws -> args(ws, ws.root().resolve("no-run").toString(),
                        input(ws)), 2, "--model").leaving(noOutput),
                fails("score of a missing input", "score", ws -> args(ws, classifier(ws),
                        ws.root().resolve("missing.txt").toString()), 2, "--input").leaving(noOutput),
                fails("score over an existing output", "score", ws -> {
                    ws.file("scored/notes.txt", "mine");
                    return args(ws, classifier(ws), input(ws));
                }, 2, "already exists").leaving((ws, outcome) -> assertEquals("mine",
                        Files.readString(ws.root().resolve("scored/notes.txt")), "the output unchanged")),
                fails("score --set of a model's key", "score", ws -> args(ws, classifier(ws), input(ws), "--set",
                        "corpus.tokenizer=char"), 2, "--set corpus.tokenizer=char: score takes only the keys").leaving(noOutput),
                fails("score of a table without the text column", "score", ws -> args(ws, classifier(ws),
                        ws.file("messages.json", "{\"id\": 1, \"body\": \"win a prize now\"}\n").toString(),
                        "--set", "corpus.source=json", "--set", "corpus.columns.text=message"), 2,
                        "corpus.columns.text = \"message\": the table has no such column; its columns: body string, id bigint")
                        .leaving(noOutput),
                fails("unknown score format", "score", ws -> args(ws, classifier(ws), input(ws), "--format", "xml"),
                        2, "--format xml").leaving(noOutput),
                fails("score of a UTF-16 input", "score", ws -> {
                    ws.bytes("utf16.txt", "free prize\ncall now\n".getBytes(StandardCharsets.UTF_16LE));
                    return args(ws, classifier(ws), ws.root().resolve("utf16.txt").toString());
                }, 2, "UTF-16").leaving(noOutput),
                accepts("score of lines that are not UTF-8 or empty", "score", ws -> {
                    ws.bytes("mixed.txt", new byte[]{'f', 'r', 'e', 'e', '\n', '\n', 'c', 'a', 'l', 'l', ' ', (byte) 0xC3, '(', '\n'});
                    return args(ws, classifier(ws), ws.root().resolve("mixed.txt").toString());
                }, Checks.stdoutContains("\"rejected\" : 2").and((ws, outcome) -> assertTrue(
                        Files.exists(ws.root().resolve("scored/_rejects/_SUCCESS")), "the rejects are written"))));
    }

    private static String[] args(Workspace ws, String model, String input, String... more) {
        String[] base = {"score", "--model", model, "--input", input, "--output", ws.root().resolve("scored").toString(),
                "--master", "local[1]"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    private static String input(Workspace ws) throws Exception {
        return ws.file("lines.txt", "free prize call\nhome soon\n").toString();
    }

    private static String classifier(Workspace ws) {
        return UntrainedRuns.publish(UntrainedRuns.classifier(List.of("free", "prize", "call")), ws.root().resolve("given"));
    }
}
