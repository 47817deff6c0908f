package io.recur.report;

import io.recur.eval.Metric;
import io.recur.task.TaskKind;

import java.util.List;
import java.util.Locale;

import static io.recur.report.Html.escape;
import static io.recur.report.Html.number;

/** The report's tables of numbers from {@code metrics.json}. */
final class MetricTables {
    private MetricTables() {}

    /** Generated data: the task, T, the examples per split and the seed. */
    static void synthetic(StringBuilder html, MetricsMap metrics) {
        MetricsMap synthetic = metrics.section("synthetic");
        MetricsMap examples = synthetic.section("examples");
        html.append("<dl class=\"facts\">");
        fact(html, "task", escape(String.valueOf(synthetic.string("task"))));
        fact(html, "T", number(asLong(synthetic.number("steps"))) + " (sequences of "
                + number(asLong(synthetic.number("sequenceLength"))) + " steps)");
        fact(html, "examples", "train " + number(asLong(examples.number("train"))) + ", validation "
                + number(asLong(examples.number("validation"))) + ", test " + number(asLong(examples.number("test"))));
        fact(html, "seed", escape(String.valueOf(synthetic.string("seed"))));
        html.append("</dl>\n");
    }

    /**
     * Held-out metrics next to the baseline's and, when the run has one, the strong baseline's,
     * the headline metric first and emphasised. A classifier's chance level (1 / classes) stands
     * beside them, and no gain is shown over a baseline whose accuracy is below it.
     */
    static void heldOut(StringBuilder html, TaskKind task, MetricsMap metrics) {
        MetricsMap model = metrics.section("heldOut");
        MetricsMap baseline = metrics.section("baseline");
        MetricsMap strong = metrics.section("strongBaseline");
        boolean hasStrong = strong.has("name");
        Metric headline = task.headline();
        Double chance = chanceLevel(model);
        html.append("<table class=\"metrics\"><thead><tr><th>metric</th><th>this model</th><th>baseline: ")
                .append(escape(name(baseline, "baseline"))).append("</th><th>model − baseline</th>");
        if (hasStrong)
            html.append("<th>strong baseline: ").append(escape(name(strong, "strong baseline")))
                    .append("</th><th>model − strong baseline</th>");
        html.append("</tr></thead><tbody>\n");
        for (Metric row : task.reported()) {
            Number m = model.number(row.key()), b = baseline.number(row.key()), s = strong.number(row.key());
            boolean isHeadline = row == headline;
            html.append("<tr id=\"metric-").append(row.key()).append('"')
                    .append(isHeadline ? " class=\"headline\"" : "").append("><th>").append(escape(row.label()))
                    .append("<small>").append(escape(row.meaning())).append("</small></th>")
                    .append("<td class=\"model\">").append(number(m)).append("</td>")
                    .append("<td class=\"baseline\">").append(number(b)).append("</td>")
                    .append(delta(m, b, row, chance));
            if (hasStrong)
                html.append("<td class=\"strong-baseline\">").append(number(s)).append("</td>").append(delta(m, s, row, chance));
            html.append("</tr>\n");
        }
        if (chance != null)
            html.append("<tr id=\"chance-level\"><th>chance level<small>1 / classes: the accuracy of a uniform guess</small></th><td colspan=\"")
                    .append(hasStrong ? 5 : 3).append("\">").append(number(chance)).append("</td></tr>\n");
        html.append("</tbody></table>\n");
        html.append("<p class=\"note\">Scored on ").append(number(model.number("examples")))
                .append(" test examples (").append(number(model.number("tokens"))).append(" real time steps)");
        Number unknown = model.number("unknownLabels");
        if (unknown != null && unknown.longValue() > 0)
            html.append("; ").append(number(unknown)).append(" test examples whose label training never saw were not scored");
        html.append(". The baseline").append(hasStrong ? "s are" : " is").append(" fitted on the training split and scored on the same examples");
        if (hasStrong && strong.number("seconds") != null)
            html.append("; the strong baseline took ").append(number(strong.number("seconds"))).append(" s");
        html.append(".</p>\n");
    }

    private static String name(MetricsMap baseline, String otherwise) {
        return baseline.string("name") == null ? otherwise : baseline.string("name");
    }

    /** 1 / classes of a classifier's confusion matrix; null for a task without classes. */
    static Double chanceLevel(MetricsMap heldOut) {
        if (!heldOut.has("confusionMatrix")) return null;
        int classes = heldOut.section("confusionMatrix").list("labels").size();
        return classes == 0 ? null : 1.0 / classes;
    }

    private static String delta(Number model, Number baseline, Metric metric, Double chance) {
        if (model == null || baseline == null) return "<td></td>";
        // Beating a predictor worse than a uniform guess is no gain worth stating.
        if (metric == Metric.ACCURACY && chance != null && baseline.doubleValue() < chance)
            return "<td class=\"below-chance\">baseline below chance</td>";
        double d = model.doubleValue() - baseline.doubleValue();
        if (!Double.isFinite(d)) return "<td></td>";
        boolean better = metric.better(model.doubleValue(), baseline.doubleValue());
        String sign = d > 0 ? "+" : d < 0 ? "−" : "±";
        return "<td class=\"" + (d == 0 ? "same" : better ? "better" : "worse") + "\">" + sign
                + number(Math.abs(d)) + (d == 0 ? "" : better ? " better" : " worse") + "</td>";
    }

    /** Rows are actual labels, columns predicted; cells shaded by their share of the row. */
    static void confusion(StringBuilder html, MetricsMap heldOut) {
        MetricsMap matrix = heldOut.section("confusionMatrix");
        List<?> labels = matrix.list("labels");
        List<?> rows = matrix.list("rows");
        if (labels.isEmpty() || rows.size() != labels.size()) {
            html.append("<p class=\"note\">No confusion matrix in metrics.json.</p>\n");
            return;
        }
        html.append("<table class=\"confusion\"><thead><tr><th class=\"corner\">actual ↓ / predicted →</th>");
        for (Object l : labels) html.append("<th>").append(escape(String.valueOf(l))).append("</th>");
        html.append("</tr></thead><tbody>\n");
        for (int r = 0; r < rows.size(); r++) {
            List<?> row = (List<?>) rows.get(r);
            double total = 0;
            for (Object v : row) total += ((Number) v).doubleValue();
            html.append("<tr><th>").append(escape(String.valueOf(labels.get(r)))).append("</th>");
            for (int c = 0; c < row.size(); c++) {
                Number v = (Number) row.get(c);
                double share = total == 0 ? 0 : v.doubleValue() / total;
                html.append("<td class=\"").append(r == c ? "diagonal" : "off").append("\" style=\"background:rgba(")
                        .append(r == c ? "22,163,74," : "220,38,38,")
                        .append(String.format(Locale.ROOT, "%.2f", 0.08 + 0.5 * share)).append(")\" title=\"")
                        .append(Html.percent(share)).append(" of actual ").append(escape(String.valueOf(labels.get(r))))
                        .append("\">").append(number(v.longValue())).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</tbody></table>\n");
    }

    /**
     * Precision, recall, F1 and support per class of {@code heldOut}'s {@code perClass} section, or
     * per tag of a tagger's {@code perTag}.
     */
    static void perClass(StringBuilder html, MetricsMap heldOut, String section, String classWord) {
        MetricsMap perClass = heldOut.section(section);
        html.append("<table class=\"per-class\"><thead><tr><th>").append(classWord).append("</th><th>precision</th><th>recall</th>"
                + "<th>F1</th><th>support</th></tr></thead><tbody>\n");
        for (String label : perClass.keys()) {
            MetricsMap c = perClass.section(label);
            html.append("<tr><th>").append(escape(label)).append("</th><td>").append(number(c.number("precision")))
                    .append("</td><td>").append(number(c.number("recall"))).append("</td><td>")
                    .append(number(c.number("f1"))).append("</td><td>").append(number(asLong(c.number("support"))))
                    .append("</td></tr>\n");
        }
        html.append("</tbody></table>\n");
    }

    /** Examples, truncations and tokens per split, then what was skipped and what was read. */
    static void corpus(StringBuilder html, MetricsMap metrics) {
        MetricsMap corpus = metrics.section("corpus");
        MetricsMap splits = corpus.section("splits");
        html.append("<table class=\"splits\"><thead><tr><th>split</th><th>examples</th><th>truncated</th>"
                + "<th>tokens</th></tr></thead><tbody>\n");
        for (String split : List.of("train", "validation", "test")) {
            MetricsMap s = splits.section(split);
            html.append("<tr id=\"split-").append(split).append("\"><th>").append(split).append("</th><td>")
                    .append(number(asLong(s.number("read")))).append("</td><td>")
                    .append(number(asLong(s.number("truncated")))).append("</td><td>")
                    .append(number(asLong(s.number("tokens")))).append("</td></tr>\n");
        }
        html.append("</tbody></table>\n<dl class=\"facts\">");
        if (corpus.number("trainSubset") != null)
            fact(html, "train-subset", corpus.string("trainSubset") + ": the train row counts the examples trained on, of the "
                    + "training split's " + number(asLong(corpus.number("trainSplitExamples"))));
        fact(html, "lines read", number(asLong(corpus.number("lines"))));
        if (corpus.number("joinedLines") != null && corpus.number("joinedLines").longValue() > 0)
            fact(html, "lines joined", number(asLong(corpus.number("joinedLines"))) + " into the example before them"
                    + " (corpus.join-lines)");
        fact(html, "skipped", number(asLong(corpus.number("skippedEmpty"))) + " empty, "
                + number(asLong(corpus.number("skippedBad"))) + " malformed");
        fact(html, "files", number(asLong(corpus.number("files"))) + " (" + number(asLong(corpus.number("bytes")))
                + " bytes as stored)");
        fact(html, "vocabulary", number(asLong(metrics.number("vocabSize"))) + " ids, 4 of them reserved");
        html.append("</dl>\n");
        List<?> bad = corpus.list("badExamples");
        if (!bad.isEmpty()) {
            html.append("<details><summary>First malformed lines</summary><ul class=\"bad\">");
            for (Object b : bad) html.append("<li><code>").append(escape(String.valueOf(b))).append("</code></li>");
            html.append("</ul></details>\n");
        }
    }

    static void fact(StringBuilder html, String term, String valueHtml) {
        html.append("<div><dt>").append(escape(term)).append("</dt><dd>").append(valueHtml).append("</dd></div>");
    }

    /** Counts read back from JSON may come as any integral type; show them without decimals. */
    static Number asLong(Number n) {
        return n == null ? null : (Number) n.longValue();
    }
}
