package io.recur.catalogue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.recur.cli.Main;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.recur.catalogue.BadInput.accepts;
import static io.recur.catalogue.BadInput.fails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What predict and evaluate make of their input: stdin lines, options, corpora with other labels. */
final class PredictCases {
    private PredictCases() {}

    /** 100 KB of seeded random bytes: about 400 lines, some of them empty, most of them not UTF-8. */
    private static final byte[] RANDOM = random(100_000, 414);
    private static final String SMS_CORPUS = "src/test/resources/corpus/sms-spam-slice.tsv";
    private static final String[] LM_PROMPTS = {"A", "Z", "Call me ", "Call me"};

    static List<BadInput> rows() {
        return List.of(
                accepts("carriage return inside a line", "predict", ws -> {
                    ws.stdin("free prize\rcall now\nhello there\n");
                    return predict(ws.classifierRun("run"));
                }, Checks.stdoutLines(2)),
                accepts("random bytes on stdin", "predict", ws -> {
                    ws.stdin(RANDOM);
                    return predict(ws.classifierRun("run"));
                }, Checks.stdoutLines(lineCount(RANDOM))),
                accepts("empty and undecodable lines", "predict", ws -> {
                    ws.stdin(concat("free prize\n\n".getBytes(StandardCharsets.UTF_8), new byte[]{(byte) 0xFF, 'x', '\n'},
                            "hello there\n".getBytes(StandardCharsets.UTF_8)));
                    return predict(ws.classifierRun("run"));
                }, Checks.stdoutLines(4).and((ws, outcome) -> {
                    assertEquals("# empty line", outcome.stdoutLines().get(1));
                    assertEquals("# not UTF-8", outcome.stdoutLines().get(2));
                })),
                accepts("--top-k of a classifier", "predict", ws -> {
                    ws.stdin("free prize\n");
                    return predict(ws.classifierRun("run"), "--top-k", "2");
                }, (ws, outcome) -> assertEquals(4, outcome.stdoutLines().get(0).split("\t").length, outcome::toString)),
                fails("--top-k 0", "predict", ws -> predict(ws.classifierRun("run"), "--top-k", "0"), 2, "--top-k 0"),
                fails("negative --top-k", "predict", ws -> predict(ws.classifierRun("run"), "--top-k", "-1"), 2, "--top-k -1"),
                fails("empty --model", "predict", ws -> new String[]{"predict", "--model", ""}, 2, "--model"),
                accepts("language model prompt", "predict", ws -> {
                    ws.stdin(String.join("\n", LM_PROMPTS) + "\n");
                    return predict(ws.languageModelRun("run"));
                }, PredictCases::agreesWithGreedyGenerate),
                accepts("empty line to a language model", "predict", ws -> {
                    ws.stdin("\n");
                    return predict(ws.languageModelRun("run"));
                }, Checks.stdoutLines(1).and((ws, outcome) ->
                        assertEquals(5, outcome.stdoutLines().get(0).split("\t").length, outcome::toString))),
                fails("corpus with no label the model knows", "evaluate", ws -> evaluate(ws.classifierRun("run"),
                        relabelled(ws, "other.tsv", 1)), 2, "none of its labels [hma, spa] is one the model knows [ham, spam]"),
                accepts("corpus with some unknown labels", "evaluate", ws -> evaluate(ws.classifierRun("run"),
                        relabelled(ws, "some.tsv", 100)), (ws, outcome) -> {
                            long unknown = (SMS_LINES + 99) / 100;
                            assertTrue(outcome.stderr().contains("recur: warning: " + unknown + " of " + SMS_LINES
                                    + " examples of "), outcome::toString);
                            assertEquals(unknown, ((Number) heldOut(outcome).get("unknownLabels")).longValue());
                        }),
                accepts("corpus too small to fill every split", "evaluate", ws -> evaluate(ws.classifierRun("run"),
                        ws.file("two.tsv", "ham\tsee you at lunch\nspam\tfree prize call now\n")),
                        (ws, outcome) -> assertEquals(2, ((Number) heldOut(outcome).get("examples")).intValue(), outcome::toString)),
                accepts("baseline of evaluate", "evaluate", ws -> new String[]{"evaluate", "--model",
                        ws.classifierRun("run").toString(), "--input", SMS_CORPUS, "--split", "test", "--master", "local[1]"},
                        PredictCases::reproducesTheReportBaseline),
                accepts("baseline of evaluate for a language model", "evaluate", ws -> new String[]{"evaluate", "--model",
                        ws.languageModelRun("run").toString(), "--input", MOBY_CORPUS, "--split", "test", "--master", "local[1]"},
                        PredictCases::reproducesTheReportBaseline));
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MOBY_CORPUS = "src/test/resources/corpus/moby-dick-slice.txt";

    /** {@code evaluate --split test} on the run's own corpus gives the baseline of its metrics.json. */
    private static void reproducesTheReportBaseline(Workspace ws, Outcome outcome) throws Exception {
        Map<?, ?> metrics = JSON.readValue(ws.root().resolve("run/metrics.json").toFile(), Map.class);
        Map<?, ?> evaluated = JSON.readValue(outcome.stdout(), Map.class);
        assertNotNull(evaluated.get("baseline"), outcome::toString);
        assertEquals(metrics.get("baseline"), evaluated.get("baseline"));
    }
    private static final int SMS_LINES = 929;

    /**
     * The SMS slice with the labels of every {@code every}-th line misspelled ({@code hma},
     * {@code spa}): large enough for every split, so only the labels are wrong.
     */
    private static Path relabelled(Workspace ws, String name, int every) throws IOException {
        List<String> lines = Files.readAllLines(Path.of(SMS_CORPUS));
        assertEquals(SMS_LINES, lines.size());
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (i % every == 0) line = line.replaceFirst("^ham\t", "hma\t").replaceFirst("^spam\t", "spa\t");
            out.append(line).append('\n');
        }
        return ws.file(name, out.toString());
    }

    private static Map<?, ?> heldOut(Outcome outcome) throws Exception {
        return (Map<?, ?>) JSON.readValue(outcome.stdout(), Map.class).get("heldOut");
    }

    private static String[] predict(Path run, String... more) {
        String[] args = new String[2 + more.length + 1];
        args[0] = "predict";
        args[1] = "--model";
        args[2] = run.toString();
        System.arraycopy(more, 0, args, 3, more.length);
        return args;
    }

    private static String[] evaluate(Path run, Path input) {
        return new String[]{"evaluate", "--model", run.toString(), "--input", input.toString(), "--master", "local[1]"};
    }

    /**
     * Each prompt's most likely next token is the one {@code generate --length 1 --temperature 0}
     * appends, and the one-letter prompts get different answers (an answer for the position before
     * the last token would give both the distribution after {@code <bos>}).
     */
    private static void agreesWithGreedyGenerate(Workspace ws, Outcome outcome) {
        List<String> lines = outcome.stdoutLines();
        assertEquals(LM_PROMPTS.length, lines.size(), outcome::toString);
        assertNotEquals(lines.get(0), lines.get(1), "the answers for 'A' and 'Z'");
        for (int i = 0; i < LM_PROMPTS.length; i++) {
            String first = lines.get(i).split("\t")[0];
            String token = first.substring(0, first.lastIndexOf(':'));
            String generated = greedy(ws.root().resolve("run"), LM_PROMPTS[i]);
            assertEquals(token.equals("<eos>") ? "" : token, generated, "prompt '" + LM_PROMPTS[i] + "'");
        }
    }

    /** What greedy generation appends to {@code prompt}, through the command line. */
    private static String greedy(Path run, String prompt) {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            int code = Main.run("generate", "--model", run.toString(), "--prompt", prompt, "--length", "1",
                    "--temperature", "0");
            assertEquals(0, code, "generate --prompt '" + prompt + "'");
        } finally {
            System.setOut(saved);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        text = text.substring(0, text.length() - System.lineSeparator().length());
        assertTrue(text.startsWith(prompt), text);
        return text.substring(prompt.length());
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Lines of {@code bytes} split at {@code \n}, counting text after the last one. */
    private static int lineCount(byte[] bytes) {
        int feeds = 0;
        for (byte b : bytes) if (b == '\n') feeds++;
        return bytes.length > 0 && bytes[bytes.length - 1] != '\n' ? feeds + 1 : feeds;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }
}
