package io.recur.catalogue;

import io.recur.cli.Main;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs every row of the bad-input catalogue through the real command line ({@code Main.run}, in
 * this JVM, real Spark in local mode) and holds each to its row and to the rules for all rows.
 */
@Tag("spark")
@DisplayName("the bad-input catalogue")
class BadInputCatalogueTest {

    /**
     * Spark resolves the host once per JVM and, where the host name maps to a loopback address,
     * warns on stderr: done here, the warning falls before any row's captured stderr, whichever row
     * runs first (a row's first stderr line must be recur's own).
     */
    @org.junit.jupiter.api.BeforeAll
    static void resolveSparksLocalHostOnce() {
        org.apache.spark.util.Utils.localHostName();
    }

    /** {@code -Dcatalogue.only=TEXT} runs only the rows whose kind contains TEXT, while working on them. */
    @TestFactory
    Stream<DynamicTest> everyRowGetsItsDocumentedAnswer() {
        String only = System.getProperty("catalogue.only", "");
        return Catalogue.rows().stream().filter(row -> row.kind().contains(only)).map(row -> DynamicTest.dynamicTest(row.toString(), () -> run(row)));
    }

    @Test
    void kindsAreUnique() {
        Set<String> seen = new HashSet<>();
        for (BadInput row : Catalogue.rows()) assertTrue(seen.add(row.kind()), "duplicate kind: " + row.kind());
    }

    @Test
    void docsListEveryRow() throws IOException {
        String doc = Files.readString(Path.of("docs/bad-input.md"));
        for (BadInput row : Catalogue.rows())
            assertTrue(doc.contains("| " + row.kind() + " | `" + row.command() + "` | " + row.exitCode() + " |"),
                    "docs/bad-input.md has no row '| " + row.kind() + " | `" + row.command() + "` | " + row.exitCode() + " |'");
    }

    private static void run(BadInput row) throws Exception {
        Path root = Files.createTempDirectory("recur-bad-input-");
        Workspace ws = new Workspace(root);
        String[] args = row.setup().args(ws);
        Map<String, String> before = snapshot(root);
        Outcome outcome = execute(args, ws.stdinBytes());

        assertEquals(row.exitCode(), outcome.exitCode(), () -> row + "\n" + outcome);
        if (row.message() != null) {
            String first = outcome.firstErrorLine();
            assertTrue(first.startsWith("recur: ") && first.contains(row.message()),
                    () -> "the first line of stderr should be 'recur: ...' naming '" + row.message() + "'\n" + outcome);
        }
        assertFalse(outcome.printedStackTrace(), () -> "a user error prints no stack trace\n" + outcome);
        assertNoIncompleteRuns(root);
        Map<String, String> after = snapshot(root);
        before.forEach((file, hash) -> assertEquals(hash, after.get(file), () -> "the user's file " + file
                + " must be left as it was\n" + outcome));
        row.check().verify(ws, outcome);
    }

    private static Outcome execute(String[] args, byte[] stdin) {
        PrintStream savedOut = System.out, savedErr = System.err;
        InputStream savedIn = System.in;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            System.setIn(new ByteArrayInputStream(stdin));
            int code = Main.run(args);
            return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
            System.setIn(savedIn);
        }
    }

    private static void assertNoIncompleteRuns(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            List<Path> hidden = files.filter(p -> p.getFileName().toString().startsWith(".incomplete-")).toList();
            assertEquals(List.of(), hidden, "no .incomplete-* directory may be left");
        }
    }

    /** Every regular file under {@code root} with its SHA-256. */
    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> hashes = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(Files::isRegularFile).toList())
                hashes.put(root.relativize(p).toString(), sha256(Files.readAllBytes(p)));
        }
        return hashes;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
