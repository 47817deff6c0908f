package io.recur.catalogue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static io.recur.catalogue.BadInput.accepts;
import static io.recur.catalogue.BadInput.fails;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Bad corpora: missing, empty, undecodable, malformed lines, wrong labels. */
final class CorpusCases {
    /** The corpus of {@link Workspace#SMS_JOB}. */
    private static final String SMS_SLICE = "src/test/resources/corpus/sms-spam-slice.tsv";
    /** The corpus of {@link Workspace#MOBY_JOB}. */
    private static final String MOBY_SLICE = "src/test/resources/corpus/moby-dick-slice.txt";

    private CorpusCases() {}

    static List<BadInput> rows() {
        return List.of(
                fails("missing corpus path", "train", ws -> ws.train("corpus.path=" + ws.root().resolve("no-such.tsv")),
                        2, "no-such.tsv"),
                fails("empty corpus file", "train", ws -> ws.train("corpus.path=" + ws.file("empty.tsv", "")), 2, "empty.tsv"),
                fails("empty corpus directory", "train", ws -> {
                    Files.createDirectories(ws.root().resolve("empty-dir"));
                    return ws.train("corpus.path=" + ws.root().resolve("empty-dir"));
                }, 2, "empty-dir"),
                fails("glob matching nothing", "train", ws -> ws.train("corpus.path=" + ws.root().resolve("nothing-*.tsv")),
                        2, "nothing-*.tsv"),
                fails("malformed lines above max-bad-fraction", "train",
                        ws -> ws.train("corpus.path=" + ws.copy("src/test/resources/corpus/bad/labeled-bad.tsv", "bad.tsv")),
                        2, "corpus.max-bad-fraction"),
                fails("UTF-16 corpus with a byte-order mark", "train",
                        ws -> ws.train("corpus.path=" + ws.bytes("u16.tsv", sms(StandardCharsets.UTF_16))), 2,
                        "u16.tsv: the file is UTF-16BE (byte-order mark FE FF), not UTF-8"),
                fails("UTF-16LE corpus without a byte-order mark", "train",
                        ws -> ws.train("corpus.path=" + ws.bytes("u16le.tsv", sms(StandardCharsets.UTF_16LE))), 2,
                        "u16le.tsv: the file is UTF-16LE (no byte-order mark; NUL-interleaved), not UTF-8"),
                fails("UTF-32 corpus", "train",
                        ws -> ws.train("corpus.path=" + ws.bytes("u32.tsv", sms(Charset.forName("UTF-32")))), 2,
                        "u32.tsv: the file is UTF-32BE"),
                fails("corpus with classic Mac line ends (CR only)", "train",
                        ws -> ws.train("corpus.path=" + ws.bytes("mac.tsv", new String(sms(StandardCharsets.UTF_8),
                                StandardCharsets.UTF_8).replace('\n', '\r').getBytes(StandardCharsets.UTF_8))), 2,
                        "mac.tsv: its lines end in \\r alone"),
                fails("corrupt gzip corpus", "train", ws -> {
                    byte[] gz = gzip(sms(StandardCharsets.UTF_8));
                    for (int i = gz.length / 3; i < gz.length / 3 + 64; i++) gz[i] ^= 0x5A;
                    return ws.train("corpus.path=" + ws.bytes("corrupt.tsv.gz", gz));
                }, 2, "corrupt.tsv.gz:"),
                fails("truncated gzip corpus", "train", ws -> {
                    byte[] gz = gzip(sms(StandardCharsets.UTF_8));
                    return ws.train("corpus.path=" + ws.bytes("truncated.tsv.gz", Arrays.copyOf(gz, gz.length / 2)));
                }, 2, "truncated.tsv.gz:"),
                fails("corrupt gzip corpus in a bake-off", "bakeoff", ws -> {
                    byte[] gz = gzip(sms(StandardCharsets.UTF_8));
                    String[] args = ws.train("corpus.path=" + ws.bytes("corrupt.tsv.gz", Arrays.copyOf(gz, gz.length / 2)));
                    args[0] = "bakeoff";
                    return args;
                }, 2, "corrupt.tsv.gz:"),
                fails("zero-byte gzip corpus", "train", ws -> ws.train("corpus.path=" + ws.bytes("zero.tsv.gz", new byte[0])),
                        2, "zero.tsv.gz"),
                fails("plain text named .gz", "train",
                        ws -> ws.train("corpus.path=" + ws.bytes("plain.tsv.gz", sms(StandardCharsets.UTF_8))), 2,
                        "plain.tsv.gz:1: cannot read"),
                accepts("line longer than corpus.max-line-bytes", "train", ws -> {
                    String text = new String(sms(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
                    int cut = text.indexOf('\n', text.length() / 2) + 1;
                    String huge = "ham\t" + "x".repeat(3 << 20) + "\n";
                    return ws.train("corpus.path=" + ws.file("huge-line.tsv", text.substring(0, cut) + huge + text.substring(cut)));
                }, Checks.onePublishedRun().and(oneBadLine("longer than corpus.max-line-bytes"))),
                accepts("text line with fewer fields than corpus.text-field", "train", ws -> {
                    List<String> lines = Files.readAllLines(Path.of(MOBY_SLICE), StandardCharsets.UTF_8);
                    StringBuilder fielded = new StringBuilder();
                    for (int i = 0; i < lines.size(); i++) {
                        if (i == lines.size() / 2) fielded.append("a line without its reference\n");
                        fielded.append(lines.get(i).isBlank() ? "" : "MD" + (i + 1) + "|" + lines.get(i)).append('\n');
                    }
                    return ws.trainJob(Workspace.MOBY_JOB, "corpus.path=" + ws.file("fielded.txt", fielded.toString()),
                            "corpus.field-separator=\"|\"", "corpus.text-field=2");
                }, Checks.onePublishedRun().and(oneBadLine("fewer fields than corpus.text-field"))),
                accepts("NUL byte in a line", "train", ws -> {
                    String text = new String(sms(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
                    int cut = text.indexOf('\n', text.length() / 2) + 1;
                    return ws.train("corpus.path=" + ws.file("nul.tsv", text.substring(0, cut) + "ham\tfree\0prize\n"
                            + text.substring(cut)));
                }, Checks.onePublishedRun().and(oneBadLine("NUL byte"))),
                accepts("invalid UTF-8 in a line", "train", ws -> {
                    byte[] text = sms(StandardCharsets.UTF_8);
                    int cut = new String(text, StandardCharsets.UTF_8).indexOf('\n', text.length / 2) + 1;
                    byte[] bad = "ham\tfree \u00c3( prize\n".getBytes(StandardCharsets.ISO_8859_1);
                    return ws.train("corpus.path=" + ws.bytes("bad-utf8.tsv", concat(Arrays.copyOf(text, cut), bad,
                            Arrays.copyOfRange(text, cut, text.length))));
                }, Checks.onePublishedRun().and(oneBadLine("undecodable UTF-8"))),
                accepts("UTF-8 byte-order mark", "train", ws -> ws.train("corpus.path=" + ws.bytes("bom.tsv",
                        concat(new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, sms(StandardCharsets.UTF_8)))),
                        Checks.onePublishedRun().and(labelsAre("ham", "spam"))),
                accepts("CRLF line ends", "train", ws -> ws.train("corpus.path=" + ws.file("crlf.tsv",
                        new String(sms(StandardCharsets.UTF_8), StandardCharsets.UTF_8).replace("\n", "\r\n"))),
                        Checks.onePublishedRun().and(labelsAre("ham", "spam"))),
                accepts("examples longer than corpus.max-sequence-length", "train",
                        ws -> ws.train("corpus.max-sequence-length=4"),
                        Checks.onePublishedRun().and(Checks.stdoutContains("truncated ("))
                                .and(Checks.stdoutContains("to corpus.max-sequence-length 4;"))),
                fails("one class", "train", ws -> ws.train("corpus.path=" + ws.file("one-class.tsv",
                        new String(sms(StandardCharsets.UTF_8), StandardCharsets.UTF_8).replaceAll("(?m)^spam\t", "ham\t"))),
                        2, "corpus.path: the training split has 1 class ('ham'); classification needs at least two labels"),
                fails("device as corpus (/dev/zero)", "train", ws -> ws.train("corpus.path=/dev/zero"), 2,
                        "corpus.path: /dev/zero is not a regular file"),
                fails("s3a path without its file system", "train", ws -> ws.train("corpus.path=s3a://bucket/corpus.tsv"), 2,
                        "corpus.path: cannot read s3a://bucket/corpus.tsv: no file system for its scheme s3a:"),
                fails("unknown HDFS host", "train", ws -> ws.train("corpus.path=hdfs://no-such-host.invalid:8020/corpus.tsv"),
                        2, "corpus.path: cannot read hdfs://no-such-host.invalid:8020/corpus.tsv: unknown host"));
    }

    private static byte[] sms(Charset charset) throws IOException {
        return Files.readString(Path.of(SMS_SLICE), StandardCharsets.UTF_8).getBytes(charset);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    /** The published run's labels.json holds exactly {@code labels}: no byte-order mark or \r left in them. */
    private static BadInput.Check labelsAre(String... labels) {
        return (ws, outcome) -> {
            JsonNode json = new ObjectMapper().readTree(ws.publishedRun().resolve("labels.json").toFile());
            assertEquals(List.of(labels), new ObjectMapper().convertValue(json.isArray() ? json : json.path("labels"),
                    List.class), json::toString);
        };
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    /** The published run's metrics.json counts exactly one malformed line, of {@code kind}. */
    private static BadInput.Check oneBadLine(String kind) {
        return (ws, outcome) -> {
            JsonNode corpus = new ObjectMapper().readTree(ws.publishedRun().resolve("metrics.json").toFile()).path("corpus");
            assertEquals(1, corpus.path("skippedBad").asLong(), corpus::toString);
            assertEquals(1, corpus.path("badReasons").path(kind).asLong(), corpus::toString);
        };
    }
}
