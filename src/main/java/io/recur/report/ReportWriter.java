package io.recur.report;

import io.recur.config.EnumNames;
import io.recur.provenance.ModelProvenance;
import io.recur.task.GeneratedTask;
import io.recur.task.ReportSection;
import io.recur.task.TaskKind;
import io.recur.train.EpochRecord;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.recur.report.Html.escape;
import static io.recur.report.Html.number;
import static io.recur.report.MetricTables.asLong;
import static io.recur.report.MetricTables.fact;

/**
 * Renders a run's {@code report.html}: a single file with inline CSS and charts embedded as PNG
 * {@code data:} URIs, so it opens anywhere without network or other files. It holds the job,
 * task and cell with the run's provenance; held-out metrics next to the baseline, the headline
 * metric emphasised; training curves with the best epoch marked, throughput per epoch and the
 * padding share; corpus counts per split; the confusion matrix and per-class scores (classify) or
 * generated samples (lm); and the resolved spec. All text from the corpus, spec and metrics is
 * escaped.
 *
 * <p>A chart that cannot be drawn (a JDK without font support, say) is replaced by a note, and the
 * same numbers remain in the per-epoch table: the machine's graphics must not cost a trained run.
 * Any other failure is thrown, and the training job then publishes nothing.
 */
public final class ReportWriter {
    /** The report's file name in a run directory. */
    public static final String FILE = "report.html";
    /** The same report in Markdown, with the charts as PNG files beside it. */
    public static final String MARKDOWN = "report.md";
    static final String LOSS_CHART = "chart-loss.png";
    static final String THROUGHPUT_CHART = "chart-throughput.png";

    private ReportWriter() {}

    public static void write(ReportContent content, OutputStream out) throws IOException {
        out.write(html(content).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Every file of the report by name, charts drawn once: the charts' PNG files (those that could
     * be drawn), {@value #FILE} with the same images inline, and {@value #MARKDOWN}.
     */
    public static Map<String, byte[]> files(ReportContent c) {
        List<ChartImage> charts = charts(c);
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (ChartImage chart : charts) if (chart.drawn()) files.put(chart.file(), chart.png());
        files.put(FILE, html(c, charts).getBytes(StandardCharsets.UTF_8));
        files.put(MARKDOWN, MarkdownReport.markdown(c, charts).getBytes(StandardCharsets.UTF_8));
        return files;
    }

    /** The loss chart, then the throughput chart. */
    static List<ChartImage> charts(ReportContent c) {
        Number best = new MetricsMap(c.metrics()).section("training").number("bestEpoch");
        int bestEpoch = best == null ? 0 : best.intValue();
        return List.of(
                ChartImage.draw(LOSS_CHART, "Loss per epoch", () -> EpochCharts.losses(c.epochs(), bestEpoch)),
                ChartImage.draw(THROUGHPUT_CHART, "Throughput per epoch", () -> EpochCharts.throughput(c.epochs())));
    }

    public static String html(ReportContent c) {
        return html(c, charts(c));
    }

    static String html(ReportContent c, List<ChartImage> charts) {
        ModelProvenance p = c.provenance();
        MetricsMap metrics = new MetricsMap(c.metrics());
        TaskKind task = TaskKind.of(c.spec().task());
        String title = p.jobName() + " · " + p.runId();
        StringBuilder html = new StringBuilder(64 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(escape(title)).append(" – recur report</title>\n<style>")
                .append(STYLE).append("</style></head>\n<body><main>\n");

        header(html, c, metrics);
        section(html, "metrics", "Held-out test metrics");
        MetricTables.heldOut(html, task, metrics);
        section(html, "training", "Training");
        training(html, c.epochs(), metrics.section("training"), c.spec().train().epochs(), charts);
        for (ReportSection part : task.sections()) {
            switch (part) {
                case CLASSES -> {
                    section(html, "classes", "Classes on the test split");
                    html.append("<div class=\"pair\"><div><h3>Confusion matrix</h3>");
                    MetricTables.confusion(html, metrics.section("heldOut"));
                    html.append("</div><div><h3>Per class</h3>");
                    MetricTables.perClass(html, metrics.section("heldOut"), "perClass", "label");
                    html.append("</div></div>\n");
                }
                case TAGS -> {
                    section(html, "tags", "Tags on the test split");
                    MetricTables.perClass(html, metrics.section("heldOut"), "perTag", "tag");
                }
                case SAMPLES -> {
                    section(html, "samples", "Generated samples");
                    samples(html, c.samples());
                }
            }
        }
        if (task instanceof GeneratedTask) {
            section(html, "synthetic", "Generated data");
            MetricTables.synthetic(html, metrics);
        } else {
            section(html, "corpus", "Corpus");
            MetricTables.corpus(html, metrics);
        }
        section(html, "spec", "Job spec");
        html.append("<details id=\"resolved-spec\"><summary>Resolved spec (as saved in job.conf)</summary><pre>")
                .append(escape(c.spec().resolvedText())).append("</pre></details>\n");
        html.append("<footer>Written by recur ").append(escape(p.recurVersion())).append(" for run ")
                .append(escape(p.runId())).append(". The numbers come from metrics.json and training-log.jsonl in the "
                        + "same directory.</footer>\n</main></body></html>\n");
        return html.toString();
    }

    private static void header(StringBuilder html, ReportContent c, MetricsMap metrics) {
        ModelProvenance p = c.provenance();
        var m = c.spec().model();
        TaskKind task = TaskKind.of(c.spec().task());
        html.append("<header><h1>").append(escape(p.jobName())).append("</h1><p class=\"kind\">")
                .append(escape(task.label())).append(" · ")
                .append(escape(m.cell().id())).append(" · ")
                .append(m.layers()).append(m.layers() == 1 ? " layer" : " layers").append(" of ")
                .append(m.hiddenSize()).append(" units · ")
                .append(escape(task.input(m))).append(" · ")
                .append(task instanceof GeneratedTask ? ""
                        : escape(EnumNames.label(c.spec().corpus().textTokenizer())) + " tokens · ")
                .append(number(asLong(metrics.section("training").number("parameters")))).append(" parameters</p>");
        html.append("<dl class=\"facts provenance\">");
        fact(html, "run id", "<code>" + escape(p.runId()) + "</code>");
        fact(html, "trained at", escape(readableInstant(p.trainedAt())));
        fact(html, "corpus", number(p.corpusExamples()) + " examples from "
                + (task instanceof GeneratedTask ? "the generator" : escape(String.join(", ", c.spec().corpus().inputs()))));
        fact(html, "corpus fingerprint", "<code title=\"" + escape(p.corpusFingerprint()) + "\">"
                + escape(shortHash(p.corpusFingerprint())) + "</code>");
        fact(html, "vocabulary SHA-256", "<code title=\"" + escape(p.vocabSha256()) + "\">"
                + escape(shortHash(p.vocabSha256())) + "</code>");
        fact(html, "recur", escape(p.recurVersion()) + " (<code>" + escape(p.gitCommit()) + "</code>)");
        fact(html, "versions", "DL4J " + escape(p.dl4jVersion()) + " · Spark " + escape(p.sparkVersion())
                + " · Java " + escape(p.javaVersion()));
        html.append("</dl></header>\n");
    }

    /** ISO-8601 to the second, in UTC; anything unparsable is shown as it is. */
    static String readableInstant(String iso) {
        try {
            return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC)
                    .format(Instant.parse(iso));
        } catch (RuntimeException e) {
            return String.valueOf(iso);
        }
    }

    static String shortHash(String hash) {
        return hash != null && hash.length() > 16 ? hash.substring(0, 16) + "…" : String.valueOf(hash);
    }

    private static void section(StringBuilder html, String id, String heading) {
        html.append("<h2 id=\"").append(id).append("\">").append(escape(heading)).append("</h2>\n");
    }

    private static void training(StringBuilder html, List<EpochRecord> epochs, MetricsMap training, int plannedEpochs,
                                 List<ChartImage> charts) {
        html.append("<dl class=\"facts\">");
        Boolean early = training.map().get("stoppedEarly") instanceof Boolean b ? b : null;
        fact(html, "epochs", number(asLong(training.number("epochs"))) + " of " + plannedEpochs
                + (Boolean.TRUE.equals(early) ? " (stopped early)" : ""));
        fact(html, "best epoch", number(asLong(training.number("bestEpoch"))) + " (validation loss "
                + number(training.number("bestValidationLoss")) + ")");
        Number seconds = training.number("seconds");
        fact(html, "time", seconds == null ? "–" : String.format(Locale.ROOT, "%,.1f s", seconds.doubleValue()));
        Number tps = training.number("tokensPerSecond");
        fact(html, "tokens per second", tps == null ? "–" : String.format(Locale.ROOT, "%,.0f", tps.doubleValue()));
        fact(html, "workers", number(asLong(training.number("workers"))));
        fact(html, "training examples", number(asLong(training.number("examples"))) + " in "
                + number(asLong(training.number("minibatches"))) + " minibatches");
        Number padding = training.number("paddingFraction");
        fact(html, "padding", padding == null ? "–" : Html.percent(padding.doubleValue()) + " of time steps");
        html.append("</dl>\n<div class=\"pair charts\">");
        int bestEpoch = training.number("bestEpoch") == null ? 0 : training.number("bestEpoch").intValue();
        charts.get(0).figure(html, "loss-chart", "the per-epoch log below");
        charts.get(1).figure(html, "throughput-chart", "the per-epoch log below");
        html.append("</div>\n<details><summary>Per-epoch log</summary><table class=\"epochs\"><thead><tr>"
                + "<th>epoch</th><th>train loss</th><th>validation loss</th><th>seconds</th><th>tokens/s</th>"
                + "</tr></thead><tbody>\n");
        for (EpochRecord e : epochs) {
            // best() flags every epoch that improved on the ones before; only bestEpoch's parameters were kept.
            boolean kept = e.epoch() == bestEpoch;
            html.append("<tr").append(kept ? " class=\"best\"" : "").append("><td>").append(e.epoch())
                    .append(kept ? " (kept)" : e.best() ? " (improved)" : "").append("</td><td>").append(number(e.trainLoss())).append("</td><td>")
                    .append(number(e.validationLoss())).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%,.1f", e.seconds())).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%,.0f", e.tokensPerSecond())).append("</td></tr>\n");
        }
        html.append("</tbody></table></details>\n");
    }

    private static void samples(StringBuilder html, List<TextSample> samples) {
        if (samples.isEmpty()) {
            html.append("<p class=\"note\">No samples.</p>\n");
            return;
        }
        html.append("<p class=\"note\">The prompt is shown <mark>highlighted</mark>; the rest is the model's. "
                + "Each sample can be reproduced with the command under it.</p>\n");
        for (TextSample s : samples) {
            html.append("<figure class=\"sample\"><blockquote>");
            if (s.prompt().isEmpty()) html.append("<span class=\"marker\">⟨start of line⟩</span>");
            else html.append("<mark>").append(escape(s.prompt())).append("</mark>");
            html.append(escape(s.continuation()))
                    .append(s.endOfSequence() ? "<span class=\"marker\">⟨end of line⟩</span>"
                            : "<span class=\"marker\">… ⟨length limit⟩</span>")
                    .append("</blockquote><figcaption><code>").append(escape(s.command()))
                    .append("</code></figcaption></figure>\n");
        }
    }

    static final String STYLE = """
            :root{color-scheme:light;--ink:#1f2937;--muted:#6b7280;--line:#e5e7eb;--soft:#f9fafb;--accent:#2563eb}
            *{box-sizing:border-box}
            body{margin:0;background:#fff;color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
            main{max-width:1040px;margin:0 auto;padding:24px 28px 48px}
            h1{margin:0;font-size:26px}
            h2{margin:36px 0 12px;padding-bottom:4px;border-bottom:2px solid var(--line);font-size:19px}
            h3{margin:0 0 8px;font-size:15px;color:var(--muted);font-weight:600}
            .kind{margin:2px 0 14px;color:var(--muted)}
            code,pre{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:13px}
            dl.facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:6px 20px;margin:0 0 12px}
            dl.facts div{min-width:0}
            dl.facts dt{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
            dl.facts dd{margin:0;overflow-wrap:anywhere}
            table{border-collapse:collapse;margin:4px 0 10px;font-variant-numeric:tabular-nums}
            th,td{padding:6px 12px;border-bottom:1px solid var(--line);text-align:right;vertical-align:top}
            th:first-child{text-align:left}
            thead th{font-size:12px;color:var(--muted);font-weight:600;text-transform:uppercase;letter-spacing:.03em;border-bottom:2px solid var(--line)}
            table.metrics{width:100%}
            table.metrics tbody th{font-weight:600}
            table.metrics small{display:block;font-weight:400;color:var(--muted);font-size:12px}
            tr.headline{background:#eff6ff}
            tr.headline td.model{font-size:20px;font-weight:700;color:var(--accent)}
            td.better{color:#15803d}
            td.worse{color:#b91c1c}
            table.confusion td{min-width:64px;font-weight:600}
            table.confusion td.diagonal{outline:1px solid rgba(22,163,74,.5);outline-offset:-1px}
            table.confusion th.corner{font-size:11px;font-weight:400}
            .pair{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}
            .charts figure{flex:0 1 460px;margin:0;max-width:100%}
            figure img{display:block;width:100%;height:auto;border:1px solid var(--line);border-radius:4px}
            figcaption{font-size:13px;color:var(--muted);margin-top:4px}
            tr.best{background:#f0fdf4}
            td.run{white-space:nowrap}
            details{margin:10px 0}
            summary{cursor:pointer;color:var(--accent)}
            pre{background:var(--soft);border:1px solid var(--line);border-radius:4px;padding:12px;overflow:auto;max-height:480px}
            .note{color:var(--muted);font-size:13px}
            .sample{margin:0 0 14px}
            .sample blockquote{margin:0;padding:10px 14px;background:var(--soft);border-left:3px solid var(--accent);white-space:pre-wrap;overflow-wrap:anywhere;font-family:Georgia,"DejaVu Serif",serif;font-size:15px}
            mark{background:#dbeafe;color:inherit;padding:0 2px}
            .sample .marker{color:var(--muted);font-family:system-ui,sans-serif;font-size:12px;margin:0 4px}
            ul.bad{font-size:13px}
            footer{margin-top:40px;color:var(--muted);font-size:12px}
            """;
}
