package io.recur.serve;

import com.fasterxml.jackson.databind.JsonNode;
import io.recur.job.PredictJob;
import io.recur.run.SavedRun;
import io.recur.job.UntrainedRuns;
import io.recur.registry.CorpusFingerprint;
import io.recur.registry.Lineage;
import io.recur.registry.Outcome;
import io.recur.registry.Registry;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * serve following a real registry on the local disk: three versions of a classifier (untrained, each
 * with its own weights, so every answer shows which one gave it), promoted, rolled back and altered.
 */
@DisplayName("serve following the registry's champion")
class ChampionFollowingTest {
    private static final java.nio.file.Path SMS = java.nio.file.Path.of("src/test/resources/corpus/sms-spam-slice.tsv");
    private static final int CLIENTS = 16;
    static List<String> words;
    static List<String> texts;
    static final Configuration hadoop = new Configuration();
    static final Map<String, PredictJob> byVersion = new HashMap<>();
    /** The three versions, published once and copied for each test, which changes its copy. */
    @TempDir
    static java.nio.file.Path published;

    @TempDir
    java.nio.file.Path root;
    Registry registry;
    final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
    final ServeMetrics metrics = new ServeMetrics();
    AtomicReference<ServedModel> served;
    ChampionFollower follower;
    PredictionServer server;
    Client client;

    @BeforeAll
    static void publishThreeVersions() throws IOException {
        List<String> lines = Files.readAllLines(SMS).subList(0, 200);
        words = lines.stream().flatMap(l -> Arrays.stream(l.split("\\s+"))).distinct().toList();
        texts = lines.stream().map(l -> l.substring(l.indexOf('\t') + 1)).toList().subList(0, 40);
        Registry registry = Registry.open(published.toString(), "spam", hadoop);
        for (long seed = 1; seed <= 3; seed++) publish(registry, seed);
    }

    /** Publishes an untrained classifier drawn with {@code seed} as the next version. */
    static void publish(Registry registry, long seed) {
        SavedRun run = UntrainedRuns.classifier(words, seed);
        String runDir = UntrainedRuns.publish(run, java.nio.file.Path.of(registry.stagingDir().toUri()));
        String version = registry.publish(new Path(runDir), new Lineage(null, "spam", null, Outcome.REJECTED, "published by the test",
                null, "0.1", "abc", run.provenance().runId(), Map.of(), null, null, new CorpusFingerprint("d", List.of())));
        byVersion.put(version, new PredictJob(SavedRun.read(registry.versionDir(version).toString(), hadoop), null));
    }

    @BeforeEach
    void serveTheFirstOfThreeVersions() throws IOException {
        try (var files = Files.walk(published)) {
            for (java.nio.file.Path from : (Iterable<java.nio.file.Path>) files::iterator) {
                java.nio.file.Path to = root.resolve(published.relativize(from).toString());
                if (Files.isDirectory(from)) Files.createDirectories(to);
                else Files.copy(from, to);
            }
        }
        registry = Registry.open(root.toString(), "spam", hadoop);
        registry.promote("v000001", "first");
        served = new AtomicReference<>(ServedModel.load(registry.versionDir("v000001").toString(), "v000001", hadoop, 2, log));
        follower = new ChampionFollower(registry, served, hadoop, 2, metrics, log);
        server = PredictionServer.start("127.0.0.1", 0, ServeLimits.of(2, 8, 1 << 16), served::get, metrics, log);
        client = new Client(server.port());
    }

    @AfterEach
    void stop() {
        follower.close();
        server.close();
    }

    /** The version that answered, after checking its answer is that version's predict answer. */
    String answeredBy(String text) {
        Client.Reply r = client.predict(Map.of("text", text));
        assertEquals(200, r.status(), r.body());
        String version = r.json().get("model").get("version").asText();
        assertAnswerOf(version, text, r.json().get("prediction"));
        return version;
    }

    void assertAnswerOf(String version, String text, JsonNode answer) {
        PredictJob predict = byVersion.get(version);
        double[] p = predict.classProbabilities(predict.tokens(text));
        assertEquals(p[1], answer.get("probabilities").get("spam").asDouble(), 1e-6, version + ": " + text);
    }

    @Test
    void theVersionsAnswerDifferently() {
        String text = texts.get(0);
        double[] p1 = byVersion.get("v000001").classProbabilities(byVersion.get("v000001").tokens(text));
        double[] p2 = byVersion.get("v000002").classProbabilities(byVersion.get("v000002").tokens(text));
        assertNotEquals(p1[1], p2[1], 1e-4);
    }

    @Test
    void servesTheChampionItStartedWith() {
        assertEquals(ChampionFollower.Outcome.UNCHANGED, follower.refresh());
        assertEquals("v000001", answeredBy(texts.get(0)));
    }

    @Test
    void swapsInAPromotedVersion() {
        registry.promote("v000002", "better");
        assertEquals(ChampionFollower.Outcome.SWAPPED, follower.refresh());
        assertEquals("v000002", answeredBy(texts.get(0)));
        assertEquals("v000002", client.get("/model").json().get("version").asText());
        assertTrue(logBytes.toString(StandardCharsets.UTF_8).contains("now serving v000002 (better), was v000001"), logBytes.toString());
    }

    @Test
    void goesBackToThePreviousChampionOnARollback() {
        registry.promote("v000002", "better");
        follower.refresh();
        registry.rollback("worse in production");
        assertEquals(ChampionFollower.Outcome.SWAPPED, follower.refresh());
        assertEquals("v000001", answeredBy(texts.get(1)));
    }

    @Test
    void refusesAnAlteredChampionAndKeepsServingTheOldOne() throws IOException {
        registry.promote("v000003", "by hand");
        // Altered after the promotion checked it: the serving host sees other bytes than were published.
        Files.write(java.nio.file.Path.of(registry.versionDir("v000003").toUri()).resolve("model.zip"), new byte[]{0},
                StandardOpenOption.APPEND);
        assertEquals(ChampionFollower.Outcome.REFUSED, follower.refresh());
        assertEquals("v000001", answeredBy(texts.get(2)));
        String logged = logBytes.toString(StandardCharsets.UTF_8);
        assertTrue(logged.contains("refused champion v000003") && logged.contains("model.zip")
                && logged.contains("still serving v000001"), logged);
        assertEquals(1, PredictionServerTest.sample(client.get("/metrics").body(), "recur_model_refusals_total"));
    }

    @Test
    void logsARefusalOnceUntilThePointerChanges() throws IOException {
        registry.promote("v000003", "by hand");
        Files.write(java.nio.file.Path.of(registry.versionDir("v000003").toUri()).resolve("model.zip"), new byte[]{0},
                StandardOpenOption.APPEND);
        follower.refresh();
        int lines = logBytes.toString(StandardCharsets.UTF_8).split("\n").length;
        assertEquals(ChampionFollower.Outcome.REFUSED, follower.refresh());
        assertEquals(lines, logBytes.toString(StandardCharsets.UTF_8).split("\n").length, logBytes.toString());
        registry.promote("v000002", "the altered one is refused");
        assertEquals(ChampionFollower.Outcome.SWAPPED, follower.refresh());
    }

    @Test
    void swapsUnderLoadWithoutAFailedRequest() throws Exception {
        follower.start(Duration.ofMillis(50));
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        AtomicBoolean promoted = new AtomicBoolean();
        try {
            List<Future<List<String>>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                done.add(clients.submit(() -> {
                    List<String> seen = new ArrayList<>();
                    // Each client asks until it has been answered by the promoted version a few times.
                    for (int i = 0, after = 0; after < 3 && i < 2000; i++) {
                        String version = answeredBy(texts.get((client + i) % texts.size()));
                        seen.add(version);
                        if (promoted.get() && version.equals("v000002")) after++;
                    }
                    return seen;
                }));
            }
            Thread.sleep(300);
            registry.promote("v000002", "promoted under load");
            promoted.set(true);
            for (Future<List<String>> f : done) {
                List<String> seen = f.get();
                assertEquals("v000002", seen.get(seen.size() - 1), "a client never saw the promotion");
                // Once a client got the new champion it never gets the old one again: the swap is one step.
                int first = seen.indexOf("v000002");
                assertTrue(seen.subList(first, seen.size()).stream().allMatch("v000002"::equals), seen.toString());
            }
        } finally {
            clients.shutdownNow();
        }
        assertEquals(0, PredictionServerTest.sample(client.get("/metrics").body(),
                "recur_requests_total{endpoint=\"/predict\",status=\"500\"}"));
    }
}
