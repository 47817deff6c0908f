package io.recur.serve;

import com.fasterxml.jackson.databind.JsonNode;
import io.recur.config.JobSpec;
import io.recur.config.JobSpecLoader;
import io.recur.corpus.Split;
import io.recur.corpus.StableSplit;
import io.recur.job.PredictJob;
import io.recur.run.RunDirectory;
import io.recur.run.SavedRun;
import io.recur.job.TrainJob;
import io.recur.job.TrainRequest;
import io.recur.storage.Json;
import io.recur.testing.LocalSpark;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code recur serve} of a classifier trained here on the SMS slice (one epoch on {@code local[2]}),
 * asked over real HTTP: its answers against {@link PredictJob}'s on the slice's held-out split, one
 * text at a time, in batches and from many clients at once, and every bad request refused with its status.
 */
@Tag("spark")
@DisplayName("serve of a trained classifier")
class PredictionServerTest {
    private static final Path SMS = Path.of("src/test/resources/corpus/sms-spam-slice.tsv");
    private static final int MAX_BATCH = 8;
    private static final int MAX_BODY_BYTES = 4096;
    private static final int CLIENTS = 16;

    @TempDir
    static Path work;
    static String runDir;
    static SavedRun run;
    static PredictJob predict;
    static List<String> heldOut;
    static ModelServer server;
    static Client client;
    static final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeAll
    static void trainAndServe() throws IOException {
        JobSpec spec = JobSpecLoader.load(Path.of("src/test/resources/jobs/sms-slice.conf"),
                List.of("train.epochs=1", "output.dir=\"" + work.resolve("runs") + "\""));
        try (JavaSparkContext sc = LocalSpark.start(PredictionServerTest.class)) {
            RunDirectory dir = RunDirectory.create(spec.output().dir(), spec.name(), sc.hadoopConfiguration());
            runDir = new TrainJob(spec, new PrintStream(new ByteArrayOutputStream()), false).run(TrainRequest.in(sc, dir)).runDirectory();
        }
        run = SavedRun.read(runDir, new Configuration());
        predict = new PredictJob(run, 2);
        StableSplit split = new StableSplit(spec.split());
        heldOut = Files.readAllLines(SMS).stream().filter(l -> split.assign(l) == Split.TEST)
                .map(l -> l.substring(l.indexOf('\t') + 1)).toList();
        server = ModelServer.start(runDir, null, "127.0.0.1", 0, ServeLimits.of(2, MAX_BATCH, MAX_BODY_BYTES),
                Duration.ofSeconds(10), new Configuration(), new PrintStream(log, true, StandardCharsets.UTF_8));
        client = new Client(server.port());
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    /** Checks one answer against predict's for the same text: the label it prints and every probability. */
    static void assertAnswersAsPredict(String text, JsonNode answer) {
        String[] printed = predict.predict(text).split("\t");
        double[] p = predict.classProbabilities(predict.tokens(text));
        assertEquals(printed[0], answer.get("label").asText(), text);
        assertEquals(printed[1], String.format(java.util.Locale.ROOT, "%.4f", answer.get("probability").asDouble()), text);
        for (int id = 0; id < p.length; id++)
            assertEquals(p[id], answer.get("probabilities").get(run.labels().label(id)).asDouble(), 1e-6, text);
    }

    @Test
    void answersEachHeldOutMessageAsPredictDoes() {
        assertTrue(heldOut.size() >= 100, "held-out messages: " + heldOut.size());
        for (String text : heldOut.subList(0, 60)) {
            Client.Reply r = client.predict(Map.of("text", text));
            assertEquals(200, r.status(), r.body());
            assertAnswersAsPredict(text, r.json().get("prediction"));
        }
    }

    @Test
    void answersABatchInOrderAsPredictAnswersEachLine() {
        List<String> batch = heldOut.subList(10, 10 + MAX_BATCH);
        Client.Reply r = client.predict(Map.of("texts", batch));
        assertEquals(200, r.status(), r.body());
        JsonNode answers = r.json().get("predictions");
        assertEquals(batch.size(), answers.size());
        for (int i = 0; i < batch.size(); i++) assertAnswersAsPredict(batch.get(i), answers.get(i));
    }

    @Test
    void namesTheRunThatAnswered() {
        JsonNode model = client.predict(Map.of("text", heldOut.get(0))).json().get("model");
        assertEquals(run.provenance().runId(), model.get("runId").asText());
        assertFalse(model.has("version"), "a run given by path has no registry version: " + model);
    }

    @Test
    void answersConcurrentClientsAsPredictDoes() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<List<String>>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int first = c * 5;
                done.add(clients.submit(() -> {
                    List<String> failures = new ArrayList<>();
                    for (int i = 0; i < 6; i++) {
                        List<String> texts = heldOut.subList((first + i * 7) % (heldOut.size() - 4),
                                (first + i * 7) % (heldOut.size() - 4) + 1 + i % 4);
                        Client.Reply r = client.predict(Map.of("texts", texts));
                        if (r.status() != 200) {
                            failures.add(r.status() + " " + r.body());
                            continue;
                        }
                        for (int t = 0; t < texts.size(); t++) {
                            try {
                                assertAnswersAsPredict(texts.get(t), r.json().get("predictions").get(t));
                            } catch (AssertionError e) {
                                failures.add(e.getMessage());
                            }
                        }
                    }
                    return failures;
                }));
            }
            List<String> failures = new ArrayList<>();
            for (Future<List<String>> f : done) failures.addAll(f.get());
            assertEquals(List.of(), failures);
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void answersHealthWithTheModelServed() {
        Client.Reply r = client.get("/health");
        assertEquals(200, r.status());
        assertEquals("ok", r.json().get("status").asText());
        assertEquals(run.provenance().runId(), r.json().get("model").asText());
    }

    @Test
    void showsTheRunAndItsMetricsFromMetricsJson() throws IOException {
        JsonNode model = client.get("/model").json();
        JsonNode metrics = Json.tree(Path.of(java.net.URI.create(runDir)).resolve("metrics.json").toFile());
        assertEquals(run.provenance().runId(), model.get("runId").asText());
        assertEquals("classify", model.get("task").asText());
        assertEquals("lstm", model.get("cell").asText());
        assertEquals(metrics.get("heldOut").get("accuracy").asDouble(),
                model.get("metrics").get("heldOut").get("accuracy").asDouble());
    }

    /** The value of one sample line of the exposition text, 0 when it is absent. */
    static double sample(String exposition, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(exposition);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void countsRequestsByEndpointAndStatus() {
        String before = client.get("/metrics").body();
        client.get("/health");
        client.get("/health");
        client.send("POST", "/health", null, BodyPublishers.noBody());
        String after = client.get("/metrics").body();
        assertEquals(2, sample(after, "recur_requests_total{endpoint=\"/health\",status=\"200\"}")
                - sample(before, "recur_requests_total{endpoint=\"/health\",status=\"200\"}"));
        assertEquals(1, sample(after, "recur_requests_total{endpoint=\"/health\",status=\"405\"}")
                - sample(before, "recur_requests_total{endpoint=\"/health\",status=\"405\"}"));
    }

    @Test
    void keepsALatencyHistogramWhoseBucketsAddUp() {
        client.predict(Map.of("text", heldOut.get(1)));
        String text = client.get("/metrics").body();
        assertTrue(text.contains("# TYPE recur_request_duration_seconds histogram"), text);
        double count = sample(text, "recur_request_duration_seconds_count{endpoint=\"/predict\"}");
        assertTrue(count >= 1, text);
        assertEquals(count, sample(text, "recur_request_duration_seconds_bucket{endpoint=\"/predict\",le=\"+Inf\"}"));
        double previous = 0;
        for (double le : ServeMetrics.BUCKETS_SECONDS) {
            double bucket = sample(text, "recur_request_duration_seconds_bucket{endpoint=\"/predict\",le=\"" + le + "\"}");
            assertTrue(bucket >= previous && bucket <= count, "bucket le=" + le + " in\n" + text);
            previous = bucket;
        }
    }

    @Test
    void exposesTheModelServedAsAnInfoGauge() {
        String text = client.get("/metrics").body();
        assertEquals(1, sample(text, "recur_model_info{version=\"" + run.provenance().runId() + "\",run_id=\""
                + run.provenance().runId() + "\",job=\"sms-slice\",task=\"classify\",cell=\"lstm\"}"), text);
    }

    record Bad(String name, String method, String path, String contentType, BodyPublisher body, int status,
               String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Bad post(String name, String body, int status, String message) {
        return new Bad(name, "POST", "/predict", "application/json", BodyPublishers.ofString(body), status, message);
    }

    static Stream<Bad> badRequests() {
        String overLimit = "{\"text\": \"" + "a ".repeat(MAX_BODY_BYTES) + "\"}";
        String tooMany = "{\"texts\": [" + String.join(",", java.util.Collections.nCopies(MAX_BATCH + 1, "\"free prize\"")) + "]}";
        return Stream.of(
                new Bad("GET /predict", "GET", "/predict", null, BodyPublishers.noBody(), 405, "only POST"),
                new Bad("PUT /predict", "PUT", "/predict", "application/json", BodyPublishers.ofString("{\"text\":\"a\"}"), 405, "only POST"),
                new Bad("POST /health", "POST", "/health", "application/json", BodyPublishers.ofString("{}"), 405, "only GET"),
                new Bad("DELETE /model", "DELETE", "/model", null, BodyPublishers.noBody(), 405, "only GET"),
                new Bad("unknown path", "POST", "/predictions", "application/json", BodyPublishers.ofString("{}"), 404, "no endpoint /predictions"),
                new Bad("no content type", "POST", "/predict", null, BodyPublishers.ofString("{\"text\":\"a\"}"), 415, "no Content-Type"),
                new Bad("text/plain", "POST", "/predict", "text/plain", BodyPublishers.ofString("{\"text\":\"a\"}"), 415, "text/plain"),
                new Bad("charset latin-1", "POST", "/predict", "application/json; charset=ISO-8859-1",
                        BodyPublishers.ofString("{\"text\":\"a\"}"), 415, "UTF-8 only"),
                new Bad("body not UTF-8", "POST", "/predict", "application/json",
                        BodyPublishers.ofByteArray(new byte[]{'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xC3, '"', '}'}), 400, "not UTF-8"),
                new Bad("body over the limit", "POST", "/predict", "application/json", BodyPublishers.ofString(overLimit), 413, "at most " + MAX_BODY_BYTES),
                new Bad("chunked body over the limit", "POST", "/predict", "application/json",
                        BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(overLimit.getBytes(StandardCharsets.UTF_8))), 413, "at most " + MAX_BODY_BYTES),
                post("empty body", "", 400, "empty"),
                post("not JSON", "free prize", 400, "not JSON"),
                post("cut-off JSON", "{\"text\": \"free", 400, "not JSON"),
                post("text after the JSON", "{\"text\": \"free\"} {}", 400, "not JSON"),
                post("key given twice", "{\"text\": \"free\", \"text\": \"prize\"}", 400, "not JSON"),
                post("an array, not an object", "[\"free\"]", 400, "JSON array"),
                post("no text", "{}", 400, "no \"text\""),
                post("unknown field", "{\"txt\": \"free\"}", 400, "unknown field \"txt\""),
                post("text and texts", "{\"text\": \"free\", \"texts\": [\"prize\"]}", 400, "both"),
                post("text null", "{\"text\": null}", 400, "\"text\" is a JSON null"),
                post("text a number", "{\"text\": 7}", 400, "\"text\" is a JSON number"),
                post("texts a string", "{\"texts\": \"free\"}", 400, "must be an array"),
                post("texts empty", "{\"texts\": []}", 400, "\"texts\" is empty"),
                post("a text in texts not a string", "{\"texts\": [\"free\", 3]}", 400, "\"texts[1]\" is a JSON number"),
                post("more texts than --max-batch", tooMany, 400, "at most " + MAX_BATCH),
                post("empty text", "{\"text\": \"\"}", 400, "\"text\" has no tokens"),
                post("white-space text in a batch", "{\"texts\": [\"free\", \" \\t \"]}", 400, "\"texts[1]\" has no tokens"),
                post("topK for a classifier", "{\"text\": \"free\", \"topK\": 2}", 400, "\"topK\" is for a language model"),
                post("topK zero", "{\"text\": \"free\", \"topK\": 0}", 400, "at least 1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void refusesABadRequestWithItsStatusAndAJsonMessage(Bad bad) {
        Client.Reply r = client.send(bad.method(), bad.path(), bad.contentType(), bad.body());
        assertEquals(bad.status(), r.status(), r.body());
        assertEquals("application/json", r.contentType());
        String error = r.json().get("error").asText();
        assertTrue(error.contains(bad.message()), error);
        assertFalse(log.toString(StandardCharsets.UTF_8).contains("internal error"), log.toString(StandardCharsets.UTF_8));
    }
}
