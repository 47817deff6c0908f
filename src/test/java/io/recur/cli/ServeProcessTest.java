package io.recur.cli;

import io.recur.job.UntrainedRuns;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
