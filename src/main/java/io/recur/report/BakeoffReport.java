package io.recur.report;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.recur.report.Html.escape;
import static io.recur.report.Html.number;

/**
 * A bake-off's report, in two forms with the same parts: {@code report.html}, self-contained
 * (inline CSS, charts as {@code data:} URIs), and {@code report.md}, whose charts are PNG files
 * beside it. Parts: what was compared, the hidden-size rule and the seeds; one table row per member
 * (hidden size, parameters, the held-out metric's mean over the seeds, its 95% t-interval and the
 * value of every seed, the baseline, seconds, tokens per second, best epochs, best validation
 * loss, a link to each seed's run), the best cell per swept value marked only where the intervals
 * are apart; the metric against the swept value, one series per cell with the interval as error
 * bars; the validation loss per epoch of every seed for each swept value; and the resolved spec.
 * A chart that cannot be drawn is replaced by a note, as in {@link ReportWriter}.
 */
public final class BakeoffReport {
    public static final String HTML = "report.html";
    public static final String MARKDOWN = "report.md";
    static final String METRIC_CHART = "chart-metric.png";

    private BakeoffReport() {}

    /** The report's files by name, in writing order: the charts' PNG files, then HTML and Markdown. */
    public static Map<String, byte[]> files(BakeoffComparison c) {
        List<ChartImage> charts = new ArrayList<>();
        charts.add(ChartImage.draw(METRIC_CHART, "Test " + c.metric() + " by " + (c.sweepKey() == null ? "cell" : c.sweepKey())
                + (BakeoffCharts.logScale(c) ? " (log scale)" : ""), () -> BakeoffCharts.metricBySweep(c)));
        for (int i = 0; i < c.sweepValues().size(); i++) {
            String value = c.sweepValues().get(i);
            charts.add(ChartImage.draw("chart-validation-" + (i + 1) + ".png", "Validation loss per epoch"
                    + (c.sweepKey() == null ? "" : ", " + c.sweepKey() + " = " + value), () -> BakeoffCharts.validationCurves(c, value)));
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (ChartImage chart : charts) if (chart.png() != null) files.put(chart.file(), chart.png());
        files.put(HTML, html(c, charts).getBytes(StandardCharsets.UTF_8));
        files.put(MARKDOWN, markdown(c, charts).getBytes(StandardCharsets.UTF_8));
        return files;
    }

    static String html(BakeoffComparison c, List<ChartImage> charts) {
        StringBuilder html = new StringBuilder(256 * 1024);
        String title = c.job() + " · " + c.bakeoffId();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(escape(title)).append(" – recur bake-off</title>\n<style>")
                .append(ReportWriter.STYLE).append("</style></head>\n<body><main>\n");
        html.append("<header><h1>").append(escape(c.job())).append(" bake-off</h1><p class=\"kind\">")
                .append(escape(String.join(", ", c.cells()))).append(" · ").append(escape(taskName(c)))
                .append(c.sweepKey() == null ? "" : " · " + escape(c.sweepKey()) + " in {"
                        + escape(String.join(", ", c.sweepValues())) + "}")
                .append("</p><dl class=\"facts\">");
        MetricTables.fact(html, "bake-off id", "<code>" + escape(c.bakeoffId()) + "</code>");
        MetricTables.fact(html, "members", number((long) c.members().size()));
        MetricTables.fact(html, "seeds", escape(seedList(c)));
        MetricTables.fact(html, "wall-clock time", String.format(Locale.ROOT, "%,.0f s", c.seconds()));
        MetricTables.fact(html, "held-out metric", escape(c.metric()) + (c.lowerIsBetter() ? " (lower is better)" : " (higher is better)"));
        html.append("</dl><p class=\"note\">").append(escape(rule(c))).append("</p></header>\n");

        html.append("<h2 id=\"comparison\">Comparison</h2>\n<table class=\"metrics comparison\"><thead><tr>");
        for (String h : headers(c)) html.append("<th>").append(escape(h)).append("</th>");
        html.append("</tr></thead><tbody>\n");
        for (BakeoffComparison.Member m : c.members()) {
            html.append(isBest(c, m) ? "<tr class=\"best\">" : "<tr>");
            List<String> cells = row(c, m);
            for (int i = 0; i < cells.size(); i++)
                html.append(i == 0 ? "<th>" : "<td>").append(escape(cells.get(i))).append(i == 0 ? "</th>" : "</td>");
            html.append("<td class=\"run\">");
            List<String> links = new ArrayList<>();
            for (BakeoffComparison.SeedRun run : m.runs()) {
                links.add(run.runDirectory() == null ? escape(run.status())
                        : "<a href=\"" + escape(run.runDirectory()) + "/report.html\" title=\"" + escape(run.runDirectory())
                        + "\">" + escape(runName(run.runDirectory())) + "</a>");
            }
            html.append(String.join("<br>", links)).append("</td></tr>\n");
        }
        html.append("</tbody></table>\n<p class=\"note\">Highlighted: ").append(escape(markRule(c)))
                .append(" Each run's own report is in its run directory.</p>\n");

        html.append("<h2 id=\"metric-chart\">Held-out ").append(escape(c.metric())).append("</h2>\n<div class=\"pair charts\">");
        charts.get(0).figure(html, "metric-chart-figure", "the table above");
        html.append("</div>\n<p class=\"note\">").append(escape(errorBarNote(c))).append("</p>\n")
                .append("<h2 id=\"validation-curves\">Validation loss per epoch</h2>\n<div class=\"pair charts\">");
        for (int i = 1; i < charts.size(); i++) charts.get(i).figure(html, "validation-chart-" + i, "comparison.json");
        html.append("</div>\n<h2 id=\"spec\">Job spec</h2>\n<details id=\"resolved-spec\"><summary>Resolved spec of the first "
                        + "lstm member (the others differ in the cell, hidden size and swept key)</summary><pre>")
                .append(escape(c.resolvedSpec())).append("</pre></details>\n")
                .append("<footer>Written by recur. The numbers come from comparison.json in the same directory.</footer>\n")
                .append("</main></body></html>\n");
        return html.toString();
    }

    static String markdown(BakeoffComparison c, List<ChartImage> charts) {
        StringBuilder md = new StringBuilder(16 * 1024);
        md.append("# ").append(c.job()).append(" bake-off\n\n")
                .append(String.join(", ", c.cells())).append(" · ").append(taskName(c))
                .append(c.sweepKey() == null ? "" : " · `" + c.sweepKey() + "` in {" + String.join(", ", c.sweepValues()) + "}")
                .append("\n\n")
                .append("- bake-off id: `").append(c.bakeoffId()).append("`\n")
                .append("- members: ").append(c.members().size()).append('\n')
                .append("- seeds: ").append(seedList(c)).append('\n')
                .append(String.format(Locale.ROOT, "- wall-clock time: %,.0f s%n", c.seconds()))
                .append("- held-out metric: ").append(c.metric()).append(c.lowerIsBetter() ? " (lower is better)" : " (higher is better)")
                .append("\n\n").append(rule(c)).append("\n\n## Comparison\n\n");
        List<String> headers = headers(c);
        md.append('|');
        for (String h : headers) md.append(' ').append(h).append(" |");
        md.append("\n|");
        for (int i = 0; i < headers.size(); i++) md.append(i < (c.sweepKey() == null ? 1 : 2) ? " --- |" : " ---: |");
        md.append('\n');
        for (BakeoffComparison.Member m : c.members()) {
            List<String> cells = row(c, m);
            md.append('|');
            for (int i = 0; i < cells.size(); i++) {
                String text = markdownCell(cells.get(i));
                if (isBest(c, m) && i == metricColumn(c)) text = "**" + text + "**";
                md.append(' ').append(text).append(" |");
            }
            List<String> links = new ArrayList<>();
            for (BakeoffComparison.SeedRun run : m.runs())
                links.add(run.runDirectory() == null ? run.status()
                        : "[" + markdownCell(runName(run.runDirectory())) + "](" + run.runDirectory() + "/report.md)");
            md.append(' ').append(String.join(", ", links)).append(" |\n");
        }
        md.append("\nBold: ").append(markRule(c)).append("\n\n## Held-out ").append(c.metric()).append("\n\n");
        md.append(charts.get(0).markdown()).append(errorBarNote(c)).append("\n\n");
        md.append("## Validation loss per epoch\n\n");
        for (int i = 1; i < charts.size(); i++) md.append(charts.get(i).markdown());
        md.append("## Job spec\n\nResolved spec of the first lstm member (the others differ in the cell, hidden size and swept key):\n\n```hocon\n")
                .append(c.resolvedSpec().strip()).append("\n```\n");
        return md.toString();
    }

    private static String markdownCell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    private static String taskName(BakeoffComparison c) {
        return c.task().label();
    }

    private static String rule(BakeoffComparison c) {
        return "Hidden sizes: lstm has the job's model.hidden-size (" + c.referenceHiddenSize() + "); rnn and gru have the "
                + "hidden size whose network has the parameter count closest to the lstm network's. All members of one "
                + "value and seed trained on the same prepared data (partitions, vocabulary, splits, minibatches); the seeds "
                + "are job.seed, job.seed + 1, ... and each also changes the initial parameters.";
    }

    private static String seedList(BakeoffComparison c) {
        return c.seeds().size() + " (" + c.seeds().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "))
                + ")";
    }

    private static String markRule(BakeoffComparison c) {
        if (c.seeds().size() < 2) return "no cell: one seed gives no interval, so no difference is shown.";
        return "the best cell at a value, only where its 95% interval lies wholly on the better side of every other "
                + "cell's interval and of the baseline's; where intervals overlap, nothing is marked: the seeds do not "
                + "show one cell better than the other.";
    }

    private static String errorBarNote(BakeoffComparison c) {
        if (c.seeds().size() < 2) return "One seed: the points are single runs, without error bars.";
        return "Points: the mean over " + c.seeds().size() + " seeds; error bars: the 95% Student-t interval, mean ± "
                + "t(0.975, n-1)·sd/√n"
                + (BakeoffCharts.logScale(c) ? " (on the log axis, cut at the smallest seed's value where it reaches below zero)" : "")
                + ".";
    }

    private static List<String> headers(BakeoffComparison c) {
        List<String> h = new ArrayList<>();
        if (c.sweepKey() != null) h.add(c.sweepKey());
        h.addAll(List.of("cell", "hidden size", "parameters", "test " + c.metric() + " (mean)", "95% interval", "per seed",
                "baseline"));
        if (hasStrongBaseline(c)) h.add("strong baseline");
        h.addAll(List.of("training s", "tokens/s", "best epoch", "best validation loss", "runs"));
        return h;
    }

    /** Whether any member fitted the task's strong baseline; the column is left out where none did. */
    private static boolean hasStrongBaseline(BakeoffComparison c) {
        return c.members().stream().anyMatch(BakeoffComparison.Member::hasStrongBaseline);
    }

    private static int metricColumn(BakeoffComparison c) {
        return c.sweepKey() == null ? 3 : 4;
    }

    /** The row's text cells, all but the runs, which each form links to. */
    private static List<String> row(BakeoffComparison c, BakeoffComparison.Member m) {
        List<String> r = new ArrayList<>();
        if (c.sweepKey() != null) r.add(m.sweepValue());
        r.add(m.cell());
        r.add(String.valueOf(m.hiddenSize()));
        r.add(number(m.parameters()));
        SeedInterval metric = m.heldOut();
        r.add(m.anyOk() ? number(metric.mean()) : "diverged");
        r.add(metric.hasInterval() ? "[" + number(metric.low()) + ", " + number(metric.high()) + "]" : "–");
        r.add(String.join(", ", m.runs().stream().map(s -> s.ok() ? number(s.heldOut()) : s.status()).toList()));
        r.add(m.anyOk() ? number(m.baseline().mean()) : "–");
        if (hasStrongBaseline(c)) r.add(m.hasStrongBaseline() ? number(m.strongBaseline().mean()) : "–");
        r.add(m.anyOk() ? String.format(Locale.ROOT, "%,.1f", m.meanTrainingSeconds()) : "–");
        r.add(m.anyOk() ? String.format(Locale.ROOT, "%,.0f", m.meanTokensPerSecond()) : "–");
        r.add(String.join(", ", m.runs().stream().map(s -> s.ok() ? s.epochsToBest() + "/" + s.epochs() : "–").toList()));
        r.add(m.anyOk() ? number(m.okRuns().stream().mapToDouble(BakeoffComparison.SeedRun::bestValidationLoss)
                .average().orElse(Double.NaN)) : "–");
        return r;
    }

    /** The run's own directory name: the table links to the whole path, which would wrap the row. */
    private static String runName(String runDirectory) {
        String trimmed = runDirectory.replaceAll("/+$", "");
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    /**
     * Whether the intervals show {@code m} best at its swept value: every seed trained, and its 95%
     * interval lies wholly on the better side of the baseline's (a cell that only ties the baseline
     * learnt nothing the baseline did not know) and of every other cell's that has a run left.
     * One seed gives no interval, so it never marks a cell.
     */
    public static boolean isBest(BakeoffComparison c, BakeoffComparison.Member m) {
        if (!m.ok()) return false;
        SeedInterval mine = m.heldOut();
        if (!mine.betterApartFrom(m.baseline(), c.lowerIsBetter())) return false;
        return c.membersAt(m.sweepValue()).stream().filter(o -> o != m && o.anyOk())
                .allMatch(o -> mine.betterApartFrom(o.heldOut(), c.lowerIsBetter()));
    }
}
