package io.recur.cli;

import io.recur.job.UntrainedRuns;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.recur.storage.Sha256;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** {@code recur serve} as a process of its own: it starts on a free port, answers, and stops on SIGTERM. */
@DisplayName("recur serve in a separate process")
class ServeProcessTest {
    private static final long START_TIMEOUT_SECONDS = 120;
    private static final Pattern LISTENING = Pattern.compile("^serving \\S+ \\(.*\\) on (http://127\\.0\\.0\\.1:\\d+/)$",
            Pattern.MULTILINE);
    @TempDir
    Path work;

    Process recur(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
            if (arg.startsWith("--add-opens") || arg.startsWith("-XX:+IgnoreUnrecognizedVMOptions")) command.add(arg);
        command.addAll(List.of("-Xmx512m", "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + Path.of("scripts/log4j2-local.properties").toAbsolutePath(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectOutput(work.resolve("stdout").toFile())
                .redirectError(work.resolve("stderr").toFile()).start();
    }

    String read(String stream) throws IOException {
        return Files.readString(work.resolve(stream), StandardCharsets.UTF_8);
    }

    @Test
    void answersOnAFreePortAndStopsOnSigterm() throws Exception {
        String model = UntrainedRuns.publish(UntrainedRuns.classifier(List.of("free", "prize", "call")), work.resolve("runs"));
        Process p = recur("serve", "--model", model, "--port", "0", "--threads", "1");
        try {
            String base = awaitListening(p);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());
            HttpResponse<String> predicted = http.send(HttpRequest.newBuilder(URI.create(base + "predict"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"texts\": [\"free prize\", \"call\"]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, predicted.statusCode(), predicted.body());
            assertTrue(predicted.body().contains("\"predictions\":[{\"label\":"), predicted.body());

            p.destroy();

            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "serve did not stop within 30 s of SIGTERM:\n" + read("stderr"));
            assertEquals(143, p.exitValue(), read("stderr"));
            String err = read("stderr");
            assertTrue(err.stripTrailing().endsWith("recur: interrupted (SIGTERM)"), err);
            assertFalse(err.lines().anyMatch(l -> l.startsWith("\tat ") || l.contains("Exception")), err);
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * SIGTERM while a request's body is still arriving: with one worker, a second request waits, which
     * shows the first is being answered when the signal comes; the rest of its body is sent after the
     * signal, and it still gets its answer before the process exits with 143.
     */
    @Test
    void answersTheRequestInProgressAtSigtermThenExits143() throws Exception {
        String model = UntrainedRuns.publish(UntrainedRuns.classifier(List.of("free", "prize", "call")), work.resolve("runs"));
        Map<String, String> before = snapshot(work.resolve("runs"));
        Process p = recur("serve", "--model", model, "--port", "0", "--threads", "1");
        try {
            URI base = URI.create(awaitListening(p));
            byte[] body = "{\"text\": \"free prize\"}".getBytes(StandardCharsets.UTF_8);
            try (Socket inProgress = new Socket(base.getHost(), base.getPort())) {
                inProgress.setSoTimeout(30_000);
                OutputStream out = inProgress.getOutputStream();
                out.write(("POST /predict HTTP/1.1\r\nHost: " + base.getAuthority() + "\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body, 0, 5);
                out.flush();
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                assertThrows(HttpTimeoutException.class, () -> http.send(HttpRequest.newBuilder(base.resolve("health"))
                        .timeout(Duration.ofMillis(1500)).build(), HttpResponse.BodyHandlers.ofString()),
                        "the one worker should be busy with the request whose body has not all arrived");

                p.destroy();
                Thread.sleep(500);
                out.write(body, 5, body.length - 5);
                out.flush();
                String answer = new String(inProgress.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

                assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
                assertTrue(answer.contains("\"prediction\":{\"label\":"), answer);
            }
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "serve did not stop within 30 s of SIGTERM:\n" + read("stderr"));
            String err = read("stderr");
            assertEquals(143, p.exitValue(), err);
            assertTrue(err.stripTrailing().endsWith("recur: interrupted (SIGTERM)"), err);
            assertFalse(err.lines().anyMatch(l -> l.startsWith("\tat ") || l.contains("Exception")), err);
            assertEquals(1, read("stdout").lines().count(), read("stdout"));
            try (ServerSocket again = new ServerSocket(base.getPort(), 1, InetAddress.getByName(base.getHost()))) {
                assertEquals(base.getPort(), again.getLocalPort(), "the port is free again");
            }
            assertEquals(before, snapshot(work.resolve("runs")), "the run is unchanged");
        } finally {
            p.destroyForcibly();
        }
    }

    /** Every file under {@code dir} with its SHA-256. */
    private static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> hashes = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList())
                hashes.put(dir.relativize(f).toString(), Sha256.hex(Files.readAllBytes(f)));
        }
        return hashes;
    }

    private String awaitListening(Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        while (true) {
            Matcher m = LISTENING.matcher(read("stdout"));
            if (m.find()) return m.group(1);
            if (!p.isAlive()) fail("serve ended before it listened (exit " + p.exitValue() + "):\n" + read("stderr"));
            if (System.nanoTime() > deadline) fail("serve did not listen within " + START_TIMEOUT_SECONDS + " s:\n" + read("stderr"));
            Thread.sleep(100);
        }
    }
}
