package io.recur.report;

import io.recur.config.JobSpec;
import io.recur.config.JobSpecLoader;
import io.recur.config.Task;
import io.recur.eval.Metric;
import io.recur.provenance.ModelProvenance;
import io.recur.train.EpochRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rendering on its own, from hand-made inputs that carry markup where corpus text can: labels,
 * file names, generated text. Reports of real runs are tested in {@code io.recur.job.RunReportTest}.
 */
@DisplayName("ReportWriter")
class ReportWriterTest {
    private static final String HOSTILE = "<script>alert('x')</script> & <b>";

    private static JobSpec spec(String job, String... overrides) {
        return JobSpecLoader.load(Path.of("src/test/resources/jobs", job), List.of(overrides));
    }

    private static ModelProvenance provenance(JobSpec spec) {
        return ModelProvenance.of(spec.name(), "20261126-000000-abcd", "f".repeat(64), 10, "e".repeat(64), "3.5.9",
                Instant.parse("2026-11-26T19:00:00Z"));
    }

    private static List<EpochRecord> epochs() {
        return List.of(new EpochRecord(1, 40.0, 0.6, 2.0, 900, true), new EpochRecord(2, 30.0, 0.5, 2.0, 950, true),
                new EpochRecord(3, 25.0, 0.55, 2.0, 1000, false));
    }

    private static Map<String, Object> classifierMetrics(List<String> labels) {
        Map<String, Object> heldOut = new LinkedHashMap<>();
        heldOut.put("accuracy", 0.75);
        heldOut.put("macroF1", 0.7);
        heldOut.put("crossEntropy", 0.5);
        heldOut.put("examples", 8L);
        heldOut.put("tokens", 80L);
        Map<String, Object> perClass = new LinkedHashMap<>();
        for (String l : labels) perClass.put(l, Map.of("precision", 0.7, "recall", 0.7, "f1", 0.7, "support", 4L));
        heldOut.put("perClass", perClass);
        heldOut.put("confusionMatrix", Map.of("labels", labels, "rows", List.of(List.of(3L, 1L), List.of(1L, 3L))));
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("heldOut", heldOut);
        metrics.put("baseline", Map.of("name", "majority class", "accuracy", 0.5, "macroF1", 0.33, "crossEntropy", 0.69));
        metrics.put("training", Map.of("epochs", 3, "bestEpoch", 2, "parameters", 1234L));
        metrics.put("corpus", Map.of("badExamples", List.of("a.tsv:3: no tab in " + HOSTILE)));
        return metrics;
    }

    private static Map<String, Object> taggerMetrics() {
        Map<String, Object> heldOut = new LinkedHashMap<>();
        heldOut.put("tokenAccuracy", 0.91);
        heldOut.put("unseenTokenAccuracy", 0.55);
        heldOut.put("unseenTokens", 40L);
        heldOut.put("macroF1", 0.8);
        heldOut.put("crossEntropy", 0.3);
        heldOut.put("examples", 30L);
        heldOut.put("tokens", 600L);
        heldOut.put("perTag", Map.of("NOUN", Map.of("precision", 0.9, "recall", 0.92, "f1", 0.91, "support", 150L)));
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("heldOut", heldOut);
        metrics.put("baseline", Map.of("name", "most frequent tag", "tokenAccuracy", 0.85, "macroF1", 0.6));
        return metrics;
    }

    @Nested
    @DisplayName("a tagger's report")
    class Tagger {
        private final JobSpec spec = spec("brown-slice.conf");
        private final Map<String, byte[]> files = ReportWriter.files(new ReportContent(spec, provenance(spec),
                taggerMetrics(), epochs(), List.of()));
        private final String html = new String(files.get(ReportWriter.FILE), java.nio.charset.StandardCharsets.UTF_8);
        private final String markdown = new String(files.get(ReportWriter.MARKDOWN), java.nio.charset.StandardCharsets.UTF_8);

        @Test
        void headlinesTokenAccuracyBesideTheBaseline() {
            assertTrue(html.contains("<tr id=\"metric-tokenAccuracy\" class=\"headline\"><th>token accuracy"), html);
            assertTrue(html.contains("<td class=\"model\">0.9100</td><td class=\"baseline\">0.8500</td>"), html);
            assertTrue(markdown.contains("| **token accuracy** | **"), markdown);
        }

        @Test
        void showsNoLanguageModelMetrics() {
            assertFalse(html.contains("metric-perplexity"));
            assertFalse(html.contains("bits per token"));
            assertFalse(markdown.contains("perplexity"), markdown);
        }

        @Test
        void showsTheUnseenTokenAccuracyBesideTheBaseline() {
            assertTrue(html.contains("<tr id=\"metric-unseenTokenAccuracy\"><th>unseen-word accuracy"), html);
            assertTrue(html.contains("<td class=\"model\">0.5500</td>"), html);
            assertTrue(markdown.contains("| unseen-word accuracy | 0.5500 |"), markdown);
        }

        @Test
        void hasAPerTagTableAndNoGeneratedSamples() {
            assertTrue(html.contains("<th>tag</th><th>precision</th>"), html);
            assertTrue(html.contains("<th>NOUN</th>"), html);
            assertFalse(html.contains("Generated samples"));
            assertTrue(markdown.contains("### Per tag"), markdown);
            assertFalse(markdown.contains("Generated samples"), markdown);
        }
    }

    @Nested
    @DisplayName("a classifier's report with a strong baseline")
    class StrongBaseline {
        private final JobSpec spec = spec("sms-slice.conf");

        private Map<String, byte[]> files(double trivialAccuracy) {
            Map<String, Object> metrics = classifierMetrics(List.of("ham", "spam"));
            metrics.put("baseline", Map.of("name", "majority class", "accuracy", trivialAccuracy, "macroF1", 0.33));
            metrics.put("strongBaseline", Map.of("name", "logistic regression on TF-IDF of word 1-2-grams",
                    "accuracy", 0.8, "macroF1", 0.78, "crossEntropy", 0.45, "seconds", 3.5));
            return ReportWriter.files(new ReportContent(spec, provenance(spec), metrics, epochs(), List.of()));
        }

        private String html(double trivialAccuracy) {
            return new String(files(trivialAccuracy).get(ReportWriter.FILE), java.nio.charset.StandardCharsets.UTF_8);
        }

        private String markdown(double trivialAccuracy) {
            return new String(files(trivialAccuracy).get(ReportWriter.MARKDOWN), java.nio.charset.StandardCharsets.UTF_8);
        }

        @Test
        void showsItsValueAndTheModelsDifferenceBesideTheTrivialBaseline() {
            String html = html(0.5);
            assertTrue(html.contains("<th>strong baseline: logistic regression on TF-IDF of word 1-2-grams</th>"), html);
            assertTrue(html.contains("<td class=\"strong-baseline\">0.8000</td><td class=\"worse\">−0.0500 worse</td>"), html);
        }

        @Test
        void addsAColumnToTheMarkdownTable() {
            String markdown = markdown(0.5);
            assertTrue(markdown.contains("| strong baseline: logistic regression on TF-IDF of word 1-2-grams |"), markdown);
            assertTrue(markdown.contains("| **0.7500** | 0.5000 | 0.8000 |"), markdown);
        }

        @Test
        void showsTheChanceLevelOfTheClasses() {
            assertTrue(html(0.5).contains("<tr id=\"chance-level\"><th>chance level"), html(0.5));
            assertTrue(html(0.5).contains("<td colspan=\"5\">0.5000</td>"), html(0.5));
            assertTrue(markdown(0.5).contains("Chance level (1 / classes): 0.5000."), markdown(0.5));
        }

        @Test
        void claimsNoGainOverABaselineBelowChance() {
            String html = html(0.4);
            assertTrue(html.contains("<td class=\"baseline\">0.4000</td><td class=\"below-chance\">baseline below chance</td>"), html);
            assertTrue(markdown(0.4).contains("the baseline is below it, so no gain over it is claimed"), markdown(0.4));
        }

        @Test
        void isLeftOutOfTheReportOfARunWithoutOne() {
            String html = ReportWriter.html(new ReportContent(spec, provenance(spec),
                    classifierMetrics(List.of("ham", "spam")), epochs(), List.of()));
            assertFalse(html.contains("strong baseline"), html);
        }
    }

    /** The held-out rows (headline first) and the one section each task's report has beyond the common ones. */
    static Stream<Arguments> reportOfEachTask() {
        return Stream.of(
                Arguments.of(Task.CLASSIFY, List.of("accuracy", "macroF1", "crossEntropy"), "classes"),
                Arguments.of(Task.LM, List.of("bitsPerToken", "perplexity", "crossEntropy"), "samples"),
                Arguments.of(Task.TAG, List.of("tokenAccuracy", "unseenTokenAccuracy", "macroF1", "crossEntropy"), "tags"),
                Arguments.of(Task.SEQUENCE_REGRESSION, List.of("mse"), "synthetic"),
                Arguments.of(Task.SEQUENCE_COPY, List.of("crossEntropy", "recallAccuracy"), "synthetic"));
    }

    private static JobSpec specOf(Task task) {
        return switch (task) {
            case CLASSIFY -> spec("sms-slice.conf");
            case LM -> spec("moby-slice.conf");
            case TAG -> spec("brown-slice.conf");
            case SEQUENCE_REGRESSION, SEQUENCE_COPY -> JobSpecLoader.fromResolvedText(
                    "job.task = " + task.label() + "\nmodel.embedding-size = 0\n", "synthetic.conf");
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reportOfEachTask")
    void everyTaskReportShowsItsOwnMetricsHeadlineFirstAndNoOthers(Task task, List<String> rows, String section) {
        JobSpec spec = specOf(task);
        Map<String, Object> heldOut = new LinkedHashMap<>();
        for (String key : rows) heldOut.put(key, 0.75);
        Map<String, byte[]> files = ReportWriter.files(new ReportContent(spec, provenance(spec),
                Map.of("heldOut", heldOut, "baseline", Map.of("name", "trivial")), epochs(), List.of()));
        String html = new String(files.get(ReportWriter.FILE), java.nio.charset.StandardCharsets.UTF_8);
        String markdown = new String(files.get(ReportWriter.MARKDOWN), java.nio.charset.StandardCharsets.UTF_8);

        assertTrue(html.contains("<tr id=\"metric-" + rows.get(0) + "\" class=\"headline\">"), html);
        int last = -1;
        for (String key : rows) {
            int at = html.indexOf("<tr id=\"metric-" + key + "\"");
            assertTrue(at > last, key + " missing or out of order in " + html);
            last = at;
        }
        for (Metric other : Metric.values())
            if (!rows.contains(other.key())) assertFalse(html.contains("metric-" + other.key()), other.key() + " in " + html);
        assertTrue(markdown.contains("| **" + Metric.of(rows.get(0)).label() + "** | **0.7500** |"), markdown);
        for (String extra : List.of("classes", "tags", "samples", "synthetic", "corpus"))
            assertEquals(extra.equals(section) || extra.equals("corpus") && !task.synthetic(),
                    html.contains("<h2 id=\"" + extra + "\">"), extra + " section of " + task);
    }

    @Nested
    @DisplayName("escapes")
    class Escapes {
        private final String html = ReportWriter.html(new ReportContent(
                spec("sms-slice.conf", "corpus.path=\"data/a&b<c>.tsv\""), provenance(spec("sms-slice.conf")),
                classifierMetrics(List.of(HOSTILE, "spam")), epochs(), List.of()));

        @Test
        void labelsInTheConfusionMatrixAndPerClassTable() {
            assertFalse(html.contains("<script>"));
            assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;"));
        }

        @Test
        void corpusPathsInTheHeaderAndTheSpec() {
            assertFalse(html.contains("a&b<c>"));
            assertTrue(html.contains("data/a&amp;b&lt;c&gt;.tsv"));
        }

        @Test
        void malformedCorpusLines() {
            assertTrue(html.contains("a.tsv:3: no tab in &lt;script&gt;"));
        }

        @Test
        void generatedText() {
            JobSpec lm = spec("moby-slice.conf");
            String page = ReportWriter.html(new ReportContent(lm, provenance(lm), Map.of(), epochs(),
                    List.of(new TextSample("a < b", " & " + HOSTILE, true, "scripts/recur generate --prompt 'a < b'"))));
            assertFalse(page.contains("<script>"));
            assertTrue(page.contains("<mark>a &lt; b</mark> &amp; &lt;script&gt;"), page);
        }
    }

    @Test
    void marksOnlyTheKeptEpochInTheLogThoughEarlierOnesImproved() {
        JobSpec spec = spec("sms-slice.conf");
        String html = ReportWriter.html(new ReportContent(spec, provenance(spec),
                classifierMetrics(List.of("ham", "spam")), epochs(), List.of()));
        assertEquals(1, html.split("\\(kept\\)", -1).length - 1);
        assertTrue(html.contains("<tr class=\"best\"><td>2 (kept)</td>"), html);
        assertTrue(html.contains("<td>1 (improved)</td>"));
    }

    @Test
    void showsTheExamplesTrainedOnInTheTrainRowAndTheWholeSplitBesideIt() {
        JobSpec spec = spec("sms-slice.conf");
        Map<String, Object> metrics = classifierMetrics(List.of("ham", "spam"));
        metrics.put("corpus", Map.of("trainSubset", 0.25, "trainSplitExamples", 4459L,
                "splits", Map.of("train", Map.of("read", 1107L, "truncated", 0L, "tokens", 17000L))));
        Map<String, byte[]> files = ReportWriter.files(new ReportContent(spec, provenance(spec), metrics, epochs(), List.of()));
        String html = new String(files.get(ReportWriter.FILE), java.nio.charset.StandardCharsets.UTF_8);
        String markdown = new String(files.get(ReportWriter.MARKDOWN), java.nio.charset.StandardCharsets.UTF_8);
        assertAll(() -> assertTrue(html.contains("<tr id=\"split-train\"><th>train</th><td>1,107</td>"), html),
                () -> assertTrue(html.contains("0.25: the train row counts the examples trained on, of the training split's 4,459"), html),
                () -> assertTrue(markdown.contains("| train | 1,107 |"), markdown),
                () -> assertTrue(markdown.contains("- train-subset: 0.25: the train row counts the examples trained on, "
                        + "of the training split's 4,459"), markdown));
    }

    @Test
    void rendersWhatAPartialMetricsMapHasWithoutFailing() {
        JobSpec spec = spec("moby-slice.conf");
        String html = ReportWriter.html(new ReportContent(spec, provenance(spec), Map.of(), List.of(), List.of()));
        assertTrue(html.contains("<tr id=\"metric-bitsPerToken\" class=\"headline\"><th>bits per token"));
        assertTrue(html.contains("No samples."));
    }

    @Nested
    @DisplayName("files")
    class Files {
        private final JobSpec spec = spec("sms-slice.conf");
        private final Map<String, byte[]> files = ReportWriter.files(new ReportContent(spec, provenance(spec),
                classifierMetrics(List.of("ham", "spam")), epochs(), List.of()));
        private final String markdown = new String(files.get(ReportWriter.MARKDOWN), java.nio.charset.StandardCharsets.UTF_8);

        @Test
        void areTheChartsThenTheHtmlAndMarkdownReports() {
            assertEquals(List.of("chart-loss.png", "chart-throughput.png", "report.html", "report.md"),
                    List.copyOf(files.keySet()));
        }

        @Test
        void inlineInTheHtmlTheImagesWrittenBesideTheMarkdown() {
            String html = new String(files.get(ReportWriter.FILE), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(html.contains(java.util.Base64.getEncoder().encodeToString(files.get("chart-loss.png"))));
            assertTrue(markdown.contains("](chart-loss.png)"), markdown);
            assertTrue(markdown.contains("](chart-throughput.png)"), markdown);
        }

        @Test
        void giveTheMarkdownTheConfusionMatrixWithTheDiagonalInBold() {
            assertTrue(markdown.contains("| ham | **3** | 1 |"), markdown);
            assertTrue(markdown.contains("| spam | 1 | **3** |"), markdown);
        }

        @Test
        void marksTheKeptEpochInTheMarkdownLog() {
            assertTrue(markdown.contains("| 2 (kept) |"), markdown);
            assertTrue(markdown.contains("| 1 (improved) |"), markdown);
        }

        @Test
        void escapeTablePipesInCorpusText() {
            JobSpec s = spec("sms-slice.conf");
            Map<String, byte[]> withPipe = ReportWriter.files(new ReportContent(s, provenance(s),
                    classifierMetrics(List.of("a|b", "spam")), epochs(), List.of()));
            String md = new String(withPipe.get(ReportWriter.MARKDOWN), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(md.contains("| a\\|b | **3** | 1 |"), md);
        }
    }
}
