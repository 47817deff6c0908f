package io.recur.serve;

import com.fasterxml.jackson.databind.JsonNode;
import io.recur.job.GenerateJob;
import io.recur.job.PredictJob;
import io.recur.run.SavedRun;
import io.recur.job.UntrainedRuns;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * serve of a language model and of a tagger (untrained: what is read and which position answers does
 * not depend on what the weights learned), against predict's answers for the same texts, one at a
 * time and as one batch.
 */
@DisplayName("serve of a language model and a tagger")
class OtherTasksServingTest {
    private static final int MAX_BATCH = 64;

    static ModelServer start(SavedRun run, Path dir) {
        String runDir = UntrainedRuns.publish(run, dir);
        return ModelServer.start(runDir, null, "127.0.0.1", 0, ServeLimits.of(2, MAX_BATCH, 1 << 20), Duration.ofSeconds(10),
                new Configuration(), new PrintStream(new ByteArrayOutputStream()));
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @DisplayName("a character language model")
    class LanguageModel {
        SavedRun run;
        ModelServer server;
        Client client;
        List<String> texts;

        @BeforeAll
        void serve(@TempDir Path dir) throws IOException {
            List<String> lines = Files.readAllLines(Path.of("src/test/resources/corpus/moby-dick-slice.txt"));
            List<String> chars = lines.stream().flatMap(l -> l.codePoints().mapToObj(Character::toString))
                    .distinct().toList();
            run = UntrainedRuns.languageModel(chars);
            server = start(run, dir);
            client = new Client(server.port());
            texts = new ArrayList<>(lines.stream().filter(l -> !l.isBlank()).limit(30).toList());
            // The start of a line, a trailing space kept as predict keeps it, and a character the vocabulary lacks.
            texts.addAll(List.of("", "Call me ", "고"));
        }

        @AfterAll
        void stop() {
            server.close();
        }

        /** The listed tokens are predict's most likely ones, most likely first, with predict's probabilities. */
        void assertNextTokensOfPredict(String text, JsonNode answer, int k) {
            double[] p = new GenerateJob(run).nextTokenProbabilities(text);
            Integer[] ranked = PredictJob.rankedTokens(p);
            JsonNode next = answer.get("next");
            assertEquals(k, next.size(), text);
            for (int i = 0; i < k; i++) {
                int id = run.vocab().id(next.get(i).get("token").asText());
                assertEquals(p[id], next.get(i).get("probability").asDouble(), 1e-6, "'" + text + "' token " + i);
                // Float rounding may order near-equal probabilities otherwise; the i-th listed is the i-th largest.
                assertEquals(p[ranked[i]], next.get(i).get("probability").asDouble(), 1e-6, "'" + text + "' token " + i);
            }
        }

        @Test
        void listsTheMostLikelyNextTokensAsPredictDoes() {
            for (String text : texts) {
                Client.Reply r = client.predict(Map.of("text", text));
                assertEquals(200, r.status(), r.body());
                assertNextTokensOfPredict(text, r.json().get("prediction"), 5);
            }
        }

        @Test
        void answersABatchOfTextsOfDifferentLengthsAsPredictAnswersEach() {
            Client.Reply r = client.predict(Map.of("texts", texts, "topK", 3));
            assertEquals(200, r.status(), r.body());
            for (int i = 0; i < texts.size(); i++)
                assertNextTokensOfPredict(texts.get(i), r.json().get("predictions").get(i), 3);
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @DisplayName("a bidirectional tagger")
    class Tagger {
        SavedRun run;
        ModelServer server;
        Client client;
        List<String> texts;

        @BeforeAll
        void serve(@TempDir Path dir) throws IOException {
            List<String> lines = Files.readAllLines(Path.of("src/test/resources/corpus/brown-slice.txt"));
            List<String> sentences = lines.stream().limit(40)
                    .map(l -> String.join(" ", Arrays.stream(l.split(" ")).map(w -> w.substring(0, w.lastIndexOf('/'))).toList()))
                    .toList();
            List<String> words = sentences.stream().flatMap(s -> Arrays.stream(s.split(" ")))
                    .map(w -> w.toLowerCase(java.util.Locale.ROOT)).distinct().toList();
            run = UntrainedRuns.tagger(words);
            server = start(run, dir);
            client = new Client(server.port());
            texts = sentences;
        }

        @AfterAll
        void stop() {
            server.close();
        }

        void assertTagsOfPredict(String text, JsonNode answer) {
            PredictJob predict = new PredictJob(run, null);
            List<String> tokens = predict.tokens(text);
            List<String> tags = predict.tags(tokens);
            JsonNode tagged = answer.get("tokens");
            assertEquals(tokens.size(), tagged.size(), text);
            for (int t = 0; t < tokens.size(); t++) {
                assertEquals(tokens.get(t), tagged.get(t).get("token").asText(), text);
                assertEquals(tags.get(t), tagged.get(t).get("tag").asText(), text + " token " + t);
            }
        }

        @Test
        void tagsEachTokenAsPredictDoes() {
            for (String text : texts.subList(0, 20)) {
                Client.Reply r = client.predict(Map.of("text", text));
                assertEquals(200, r.status(), r.body());
                assertTagsOfPredict(text, r.json().get("prediction"));
            }
        }

        @Test
        void tagsABatchOfSentencesOfDifferentLengthsAsPredictTagsEach() {
            Client.Reply r = client.predict(Map.of("texts", texts));
            assertEquals(200, r.status(), r.body());
            for (int i = 0; i < texts.size(); i++) assertTagsOfPredict(texts.get(i), r.json().get("predictions").get(i));
        }

        @Test
        void refusesTopKForATagger() {
            Client.Reply r = client.predict(Map.of("text", texts.get(0), "topK", 2));
            assertEquals(400, r.status());
            assertTrue(r.json().get("error").asText().contains("one tag per token"), r.body());
        }
    }
}
