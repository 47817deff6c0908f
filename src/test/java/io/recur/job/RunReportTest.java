package io.recur.job;

import io.recur.run.RunDirectory;
import io.recur.run.SavedRun;
import io.recur.testing.LocalSpark;
import com.fasterxml.jackson.databind.JsonNode;
import io.recur.config.JobSpec;
import io.recur.storage.Json;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report.html that every published run carries, from real short runs on the corpus slices. */
@Tag("spark")
@DisplayName("report.html of a published run")
class RunReportTest {
    private static final Pattern IMAGE = Pattern.compile("<img src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\" width=\"(\\d+)\"");
    private static final Pattern SPEC_BLOCK = Pattern.compile("<details id=\"resolved-spec\">.*?</details>", Pattern.DOTALL);
    private static JavaSparkContext sc;

    @BeforeAll
    static void startSpark() {
        sc = LocalSpark.start(RunReportTest.class);
    }

    @AfterAll
    static void stopSpark() {
        sc.stop();
    }

    /** A published run: its directory, report text and metrics.json. */
    record Published(Path dir, String html, String markdown, JsonNode metrics) {
        static Published train(String job, Path output, int epochs) throws IOException {
            JobSpec spec = TrainJobTest.spec(job, output, "train.epochs=" + epochs, "train.patience=0");
            RunDirectory dir = RunDirectory.create(spec.output().dir(), spec.name(), sc.hadoopConfiguration());
            var result = new TrainJob(spec, new PrintStream(new ByteArrayOutputStream()), false).run(TrainRequest.in(sc, dir));
            Path run = Path.of(URI.create(result.runDirectory()));
            return new Published(run, Files.readString(run.resolve("report.html"), StandardCharsets.UTF_8),
                    Files.readString(run.resolve("report.md"), StandardCharsets.UTF_8), Json.tree(run.resolve("metrics.json").toFile()));
        }

        /** The text of the cell with this class in the table row with this id, separators removed. */
        double cell(String rowId, String cellClass) {
            Matcher m = Pattern.compile("<tr id=\"" + rowId + "\"[^>]*>.*?<td class=\"" + cellClass + "\">([^<]*)</td>")
                    .matcher(html);
            assertTrue(m.find(), "row " + rowId + " cell " + cellClass);
            return Double.parseDouble(m.group(1).replace(",", ""));
        }
    }

    /** The embedded PNG images, each checked to be drawn at twice the width the page shows it at. */
    static List<BufferedImage> charts(String html) throws IOException {
        List<BufferedImage> images = new ArrayList<>();
        Matcher m = IMAGE.matcher(html);
        while (m.find()) {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1))));
            assertNotNull(image, "a data URI that is not a PNG");
            assertEquals(2 * Integer.parseInt(m.group(2)), image.getWidth());
            images.add(image);
        }
        return images;
    }

    /** The images report.md shows, read from the files beside it. */
    static List<BufferedImage> markdownCharts(Published run) throws IOException {
        List<BufferedImage> images = new ArrayList<>();
        Matcher m = Pattern.compile("!\\[[^]]*]\\(([^)]+)\\)").matcher(run.markdown());
        while (m.find()) {
            BufferedImage image = ImageIO.read(run.dir().resolve(m.group(1)).toFile());
            assertNotNull(image, m.group(1) + " is not a PNG");
            images.add(image);
        }
        return images;
    }

    /** The level-2 and level-3 headings of report.md, in order. */
    static List<String> headings(String markdown) {
        return markdown.lines().filter(l -> l.startsWith("## ") || l.startsWith("### ")).toList();
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @DisplayName("of the SMS spam classifier")
    class Classifier {
        Published run;

        // A parameter, not a @TempDir field: fields are not yet injected when a per-class @BeforeAll
        // runs, and the run would land in ./null/.
        @BeforeAll
        void trainOnce(@TempDir Path output) throws IOException {
            run = Published.train("sms-slice.conf", output, 2);
        }

        @Test
        void namesJobTaskCellAndProvenanceInItsHeader() {
            String header = run.html().substring(run.html().indexOf("<header>"), run.html().indexOf("</header>"));
            assertTrue(header.contains("<h1>sms-slice</h1>"), header);
            assertTrue(header.contains("classify · lstm"), header);
            assertTrue(header.contains(run.metrics().at("/runId").asText()), header);
            assertTrue(header.contains(run.metrics().at("/corpus/fingerprint").asText()), header);
            assertTrue(header.contains("DL4J 1.0.0-M2"), header);
        }

        @Test
        void showsTheHeldOutMetricsOfMetricsJsonNextToTheBaseline() {
            for (String metric : List.of("accuracy", "macroF1", "crossEntropy")) {
                assertEquals(run.metrics().at("/heldOut/" + metric).asDouble(), run.cell("metric-" + metric, "model"), 5e-5, metric);
                assertEquals(run.metrics().at("/baseline/" + metric).asDouble(), run.cell("metric-" + metric, "baseline"), 5e-5, metric);
            }
        }

        @Test
        void emphasisesAccuracyAsTheHeadline() {
            assertTrue(run.html().contains("<tr id=\"metric-accuracy\" class=\"headline\">"));
            assertFalse(run.html().contains("<tr id=\"metric-macroF1\" class=\"headline\">"));
        }

        @Test
        void embedsTrainingChartsAsPngImagesDrawnHeadless() throws IOException {
            assertEquals(2, charts(run.html()).size());
            assertTrue(GraphicsEnvironment.isHeadless());
        }

        @Test
        void writesTheSamePartsInMarkdown() {
            assertEquals(List.of("## Held-out test metrics", "## Training", "## Classes on the test split",
                    "### Confusion matrix", "### Per class", "## Corpus", "## Job spec"), headings(run.markdown()));
            assertTrue(run.markdown().startsWith("# sms-slice\n"), run.markdown());
            assertTrue(run.markdown().contains("`" + run.metrics().at("/runId").asText() + "`"));
        }

        @Test
        void showsTheHeadlineOfMetricsJsonInBoldInMarkdown() {
            String accuracy = String.format(java.util.Locale.ROOT, "%,.4f", run.metrics().at("/heldOut/accuracy").asDouble());
            String baseline = String.format(java.util.Locale.ROOT, "%,.4f", run.metrics().at("/baseline/accuracy").asDouble());
            assertTrue(run.markdown().contains("| **accuracy** | **" + accuracy + "** | " + baseline + " |"), run.markdown());
        }

        @Test
        void showsInMarkdownTheChartsItWritesBesideIt() throws IOException {
            List<BufferedImage> images = markdownCharts(run);
            assertEquals(2, images.size());
            assertEquals(charts(run.html()).get(0).getWidth(), images.get(0).getWidth());
        }

        @Test
        void showsTheConfusionMatrixOfMetricsJson() {
            JsonNode rows = run.metrics().at("/heldOut/confusionMatrix/rows");
            String table = run.html().substring(run.html().indexOf("<table class=\"confusion\">"));
            table = table.substring(0, table.indexOf("</table>"));
            Matcher cells = Pattern.compile("<td class=\"(?:diagonal|off)\"[^>]*>([0-9,]+)</td>").matcher(table);
            for (JsonNode row : rows)
                for (JsonNode count : row) {
                    assertTrue(cells.find());
                    assertEquals(count.asLong(), Long.parseLong(cells.group(1).replace(",", "")));
                }
            assertFalse(cells.find(), "more cells than metrics.json has");
            assertTrue(run.html().contains("<table class=\"per-class\">"));
        }

        @Test
        void countsExamplesPerSplitAsMetricsJsonDoes() {
            for (String split : List.of("train", "validation", "test")) {
                Matcher m = Pattern.compile("<tr id=\"split-" + split + "\"><th>" + split + "</th><td>([0-9,]+)</td>")
                        .matcher(run.html());
                assertTrue(m.find(), split);
                assertEquals(run.metrics().at("/corpus/splits/" + split + "/read").asLong(),
                        Long.parseLong(m.group(1).replace(",", "")), split);
            }
        }

        @Test
        void holdsTheResolvedSpecInACollapsibleBlock() throws IOException {
            Matcher m = SPEC_BLOCK.matcher(run.html());
            assertTrue(m.find());
            String spec = Files.readString(run.dir().resolve("job.conf"));
            String firstLine = spec.lines().filter(l -> l.contains("=") || l.contains(":")).findFirst().orElseThrow();
            assertTrue(m.group().contains(firstLine.strip().replace("\"", "&quot;")), firstLine);
        }

        @Test
        void referencesNothingOutsideTheFile() {
            String outsideSpec = SPEC_BLOCK.matcher(run.html()).replaceAll("");
            assertFalse(outsideSpec.contains("http://") || outsideSpec.contains("https://"));
            assertFalse(outsideSpec.contains("<script") || outsideSpec.contains("<link"));
            assertFalse(Pattern.compile("src=\"(?!data:)").matcher(outsideSpec).find());
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @DisplayName("of the Moby Dick character language model")
    class LanguageModel {
        Published run;

        @BeforeAll
        void trainOnce(@TempDir Path output) throws IOException {
            // One epoch: the language model is the slower of the two, and the report needs no more.
            run = Published.train("moby-slice.conf", output, 1);
        }

        @Test
        void showsBitsPerTokenOfMetricsJsonAsTheHeadline() {
            assertTrue(run.html().contains("<tr id=\"metric-bitsPerToken\" class=\"headline\">"));
            assertEquals(run.metrics().at("/heldOut/bitsPerToken").asDouble(), run.cell("metric-bitsPerToken", "model"), 5e-5);
            assertEquals(run.metrics().at("/heldOut/perplexity").asDouble(), run.cell("metric-perplexity", "model"), 5e-5);
            assertEquals(run.metrics().at("/baseline/bitsPerToken").asDouble(), run.cell("metric-bitsPerToken", "baseline"), 5e-5);
        }

        @Test
        void showsSamplesThatTheGenerateCommandReproduces() {
            SavedRun saved = SavedRun.read(run.dir().toString(), sc.hadoopConfiguration());
            GenerateJob generator = new GenerateJob(saved);
            List<String> prompts = RunReport.prompts(saved, sc.emptyRDD());
            assertEquals(List.of(""), prompts, "an empty test split gives the empty prompt only");
            int shown = 0;
            Matcher m = Pattern.compile("<figure class=\"sample\"><blockquote>(.*?)</blockquote><figcaption><code>(.*?)</code>",
                    Pattern.DOTALL).matcher(run.html());
            while (m.find()) {
                Matcher seed = Pattern.compile("--seed (-?\\d+)").matcher(m.group(2));
                assertTrue(seed.find(), m.group(2));
                Matcher prompt = Pattern.compile("--prompt '((?:[^']|'\\\\'')*)'").matcher(m.group(2).replace("&#39;", "'"));
                assertTrue(prompt.find(), m.group(2));
                String promptText = unescape(prompt.group(1).replace("'\\''", "'"));
                var sample = generator.generate(promptText, new SamplingSpec(generator.defaultLength(),
                        RunReport.SAMPLE_TEMPERATURE, 0, Long.parseLong(seed.group(1))));
                assertTrue(m.group(1).contains(escape(sample.continuation())),
                        "sample " + shown + " not reproduced: " + sample.continuation());
                shown++;
            }
            assertEquals(RunReport.SAMPLES, shown);
        }

        @Test
        void showsNoConfusionMatrix() {
            assertFalse(run.html().contains("<table class=\"confusion\">"));
        }

        @Test
        void embedsTheLossAndThroughputCharts() throws IOException {
            assertEquals(2, charts(run.html()).size());
        }

        @Test
        void writesTheSamplesAndTheirCommandsInMarkdown() {
            assertEquals(List.of("## Held-out test metrics", "## Training", "## Generated samples", "## Corpus",
                    "## Job spec"), headings(run.markdown()));
            assertEquals(RunReport.SAMPLES, run.markdown().lines().filter(l -> l.startsWith("scripts/recur generate")).count());
        }

        private static String escape(String text) {
            return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                    .replace("'", "&#39;");
        }

        private static String unescape(String html) {
            return html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                    .replace("&amp;", "&");
        }
    }
}
