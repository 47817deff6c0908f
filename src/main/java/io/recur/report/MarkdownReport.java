package io.recur.report;

import io.recur.eval.Metric;
import io.recur.provenance.ModelProvenance;
import io.recur.task.GeneratedTask;
import io.recur.task.ReportSection;
import io.recur.task.TaskKind;
import io.recur.train.EpochRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.recur.report.Html.number;
import static io.recur.report.MetricTables.asLong;

/**
 * A run's {@code report.md}: the parts of {@code report.html} in the same order (the job and its
 * provenance; held-out metrics next to the baseline, headline in bold; training facts, the loss and
 * throughput charts as PNG files beside the report, and the per-epoch log; confusion matrix and per
 * class scores, or generated samples; the data; the resolved spec), for reading where HTML is not
 * rendered: a repository, a terminal, an issue.
 */
final class MarkdownReport {
    private MarkdownReport() {}

    static String markdown(ReportContent c, List<ChartImage> charts) {
        ModelProvenance p = c.provenance();
        MetricsMap metrics = new MetricsMap(c.metrics());
        MetricsMap training = metrics.section("training");
        TaskKind task = TaskKind.of(c.spec().task());
        var m = c.spec().model();
        StringBuilder md = new StringBuilder(16 * 1024);
        md.append("# ").append(p.jobName()).append("\n\n")
                .append(task.label()).append(" · ").append(m.cell().id())
                .append(" · ").append(m.layers()).append(m.layers() == 1 ? " layer" : " layers").append(" of ")
                .append(m.hiddenSize()).append(" units · ")
                .append(number(asLong(training.number("parameters")))).append(" parameters\n\n");
        md.append("- run id: `").append(p.runId()).append("`\n")
                .append("- trained at: ").append(ReportWriter.readableInstant(p.trainedAt())).append('\n')
                .append("- corpus: ").append(number(p.corpusExamples())).append(" examples from ")
                .append(task instanceof GeneratedTask ? "the generator" : "`" + String.join("`, `", c.spec().corpus().inputs()) + "`").append('\n')
                .append("- corpus fingerprint: `").append(ReportWriter.shortHash(p.corpusFingerprint())).append("`\n")
                .append("- vocabulary SHA-256: `").append(ReportWriter.shortHash(p.vocabSha256())).append("`\n")
                .append("- recur ").append(p.recurVersion()).append(" (`").append(p.gitCommit()).append("`), DL4J ")
                .append(p.dl4jVersion()).append(", Spark ").append(p.sparkVersion()).append(", Java ").append(p.javaVersion())
                .append("\n\n");

        md.append("## Held-out test metrics\n\n");
        heldOut(md, task, metrics);
        md.append("## Training\n\n");
        trainingPart(md, c.epochs(), training, c.spec().train().epochs(), charts);
        for (ReportSection part : task.sections()) {
            switch (part) {
                case CLASSES -> {
                    md.append("## Classes on the test split\n\n");
                    confusion(md, metrics.section("heldOut"));
                    perClass(md, metrics.section("heldOut"), "perClass", "label", "### Per class");
                }
                case TAGS -> {
                    md.append("## Tags on the test split\n\n");
                    perClass(md, metrics.section("heldOut"), "perTag", "tag", "### Per tag");
                }
                case SAMPLES -> {
                    md.append("## Generated samples\n\n");
                    samples(md, c.samples());
                }
            }
        }
        boolean generated = task instanceof GeneratedTask;
        md.append(generated ? "## Generated data\n\n" : "## Corpus\n\n");
        data(md, metrics, generated);
        md.append("## Job spec\n\nResolved spec, as saved in `job.conf`:\n\n```hocon\n")
                .append(c.spec().resolvedText().strip()).append("\n```\n");
        return md.toString();
    }

    private static void heldOut(StringBuilder md, TaskKind task, MetricsMap metrics) {
        MetricsMap model = metrics.section("heldOut");
        MetricsMap baseline = metrics.section("baseline");
        Metric headline = task.headline();
        String baselineName = baseline.string("name") == null ? "baseline" : baseline.string("name");
        MetricsMap strong = metrics.section("strongBaseline");
        boolean hasStrong = strong.has("name");
        List<List<String>> rows = new ArrayList<>();
        for (Metric row : task.reported()) {
            String value = number(model.number(row.key()));
            boolean bold = row == headline;
            List<String> cells = new ArrayList<>(List.of(bold ? "**" + row.label() + "**" : row.label(),
                    bold ? "**" + value + "**" : value, number(baseline.number(row.key()))));
            if (hasStrong) cells.add(number(strong.number(row.key())));
            cells.add(row.meaning());
            rows.add(cells);
        }
        List<String> header = new ArrayList<>(List.of("metric", "this model", "baseline: " + baselineName));
        if (hasStrong) header.add("strong baseline: " + (strong.string("name") == null ? "strong baseline" : strong.string("name")));
        header.add("meaning");
        table(md, header, rows, 1);
        md.append("Scored on ").append(number(model.number("examples"))).append(" test examples (")
                .append(number(model.number("tokens"))).append(" real time steps). The baseline")
                .append(hasStrong ? "s are" : " is").append(" fitted on the training split and scored on the same examples.");
        Double chance = MetricTables.chanceLevel(model);
        if (chance != null) {
            md.append(" Chance level (1 / classes): ").append(number(chance));
            if (baseline.number("accuracy") != null && baseline.number("accuracy").doubleValue() < chance)
                md.append("; the baseline is below it, so no gain over it is claimed");
            md.append('.');
        }
        md.append("\n\n");
    }

    private static void trainingPart(StringBuilder md, List<EpochRecord> epochs, MetricsMap training, int planned,
                                     List<ChartImage> charts) {
        Number seconds = training.number("seconds");
        Number tps = training.number("tokensPerSecond");
        md.append("- epochs: ").append(number(asLong(training.number("epochs")))).append(" of ").append(planned)
                .append(Boolean.TRUE.equals(training.map().get("stoppedEarly")) ? " (stopped early)" : "").append('\n')
                .append("- best epoch: ").append(number(asLong(training.number("bestEpoch")))).append(" (validation loss ")
                .append(number(training.number("bestValidationLoss"))).append(")\n")
                .append("- time: ").append(seconds == null ? "–" : String.format(Locale.ROOT, "%,.1f s", seconds.doubleValue()))
                .append('\n')
                .append("- tokens per second: ").append(tps == null ? "–" : String.format(Locale.ROOT, "%,.0f", tps.doubleValue()))
                .append('\n')
                .append("- workers: ").append(number(asLong(training.number("workers")))).append('\n')
                .append("- training examples: ").append(number(asLong(training.number("examples")))).append(" in ")
                .append(number(asLong(training.number("minibatches")))).append(" minibatches\n");
        Number padding = training.number("paddingFraction");
        md.append("- padding: ").append(padding == null ? "–" : Html.percent(padding.doubleValue()) + " of time steps")
                .append("\n\n");
        for (ChartImage chart : charts) md.append(chart.markdown());
        int best = training.number("bestEpoch") == null ? 0 : training.number("bestEpoch").intValue();
        List<List<String>> rows = new ArrayList<>();
        for (EpochRecord e : epochs) {
            rows.add(List.of(e.epoch() + (e.epoch() == best ? " (kept)" : e.best() ? " (improved)" : ""),
                    number(e.trainLoss()), number(e.validationLoss()), String.format(Locale.ROOT, "%,.1f", e.seconds()),
                    String.format(Locale.ROOT, "%,.0f", e.tokensPerSecond())));
        }
        md.append("Per-epoch log:\n\n");
        table(md, List.of("epoch", "train loss", "validation loss", "seconds", "tokens/s"), rows, 1);
    }

    private static void confusion(StringBuilder md, MetricsMap heldOut) {
        MetricsMap matrix = heldOut.section("confusionMatrix");
        List<?> labels = matrix.list("labels");
        List<?> rows = matrix.list("rows");
        md.append("### Confusion matrix\n\n");
        if (labels.isEmpty() || rows.size() != labels.size()) {
            md.append("No confusion matrix in metrics.json.\n\n");
            return;
        }
        List<String> header = new ArrayList<>();
        header.add("actual ↓ / predicted →");
        for (Object l : labels) header.add(String.valueOf(l));
        List<List<String>> body = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            List<String> row = new ArrayList<>();
            row.add(String.valueOf(labels.get(r)));
            List<?> counts = (List<?>) rows.get(r);
            for (int col = 0; col < counts.size(); col++) {
                String n = number(((Number) counts.get(col)).longValue());
                row.add(r == col ? "**" + n + "**" : n);
            }
            body.add(row);
        }
        table(md, header, body, 1);
    }

    private static void perClass(StringBuilder md, MetricsMap heldOut, String section, String classWord, String heading) {
        MetricsMap perClass = heldOut.section(section);
        List<List<String>> rows = new ArrayList<>();
        for (String label : perClass.keys()) {
            MetricsMap c = perClass.section(label);
            rows.add(List.of(label, number(c.number("precision")), number(c.number("recall")), number(c.number("f1")),
                    number(asLong(c.number("support")))));
        }
        md.append(heading).append("\n\n");
        table(md, List.of(classWord, "precision", "recall", "F1", "support"), rows, 1);
    }

    private static void samples(StringBuilder md, List<TextSample> samples) {
        if (samples.isEmpty()) {
            md.append("No samples.\n\n");
            return;
        }
        md.append("The prompt is in bold; the rest is the model's. Each sample can be reproduced with the command under it.\n\n");
        for (TextSample s : samples) {
            md.append("> ").append(s.prompt().isEmpty() ? "⟨start of line⟩ " : "**" + inline(s.prompt()) + "**")
                    .append(inline(s.continuation())).append(s.endOfSequence() ? " ⟨end of line⟩" : " … ⟨length limit⟩")
                    .append("\n\n```\n").append(s.command()).append("\n```\n\n");
        }
    }

    private static void data(StringBuilder md, MetricsMap metrics, boolean synthetic) {
        if (synthetic) {
            MetricsMap s = metrics.section("synthetic");
            MetricsMap examples = s.section("examples");
            md.append("- task: ").append(s.string("task")).append('\n')
                    .append("- T: ").append(number(asLong(s.number("steps")))).append(" (sequences of ")
                    .append(number(asLong(s.number("sequenceLength")))).append(" steps)\n")
                    .append("- examples: train ").append(number(asLong(examples.number("train")))).append(", validation ")
                    .append(number(asLong(examples.number("validation")))).append(", test ")
                    .append(number(asLong(examples.number("test")))).append('\n')
                    .append("- seed: ").append(s.string("seed")).append("\n\n");
            return;
        }
        MetricsMap corpus = metrics.section("corpus");
        MetricsMap splits = corpus.section("splits");
        List<List<String>> rows = new ArrayList<>();
        for (String split : List.of("train", "validation", "test")) {
            MetricsMap s = splits.section(split);
            rows.add(List.of(split, number(asLong(s.number("read"))), number(asLong(s.number("truncated"))),
                    number(asLong(s.number("tokens")))));
        }
        table(md, List.of("split", "examples", "truncated", "tokens"), rows, 1);
        if (corpus.number("trainSubset") != null)
            md.append("- train-subset: ").append(corpus.string("trainSubset"))
                    .append(": the train row counts the examples trained on, of the training split's ")
                    .append(number(asLong(corpus.number("trainSplitExamples")))).append('\n');
        md.append("- lines read: ").append(number(asLong(corpus.number("lines")))).append('\n')
                .append("- skipped: ").append(number(asLong(corpus.number("skippedEmpty")))).append(" empty, ")
                .append(number(asLong(corpus.number("skippedBad")))).append(" malformed\n")
                .append("- files: ").append(number(asLong(corpus.number("files")))).append(" (")
                .append(number(asLong(corpus.number("bytes")))).append(" bytes as stored)\n")
                .append("- vocabulary: ").append(number(asLong(metrics.number("vocabSize")))).append(" ids, 4 of them reserved\n\n");
    }

    /** A pipe table; columns from {@code firstNumeric} on are right-aligned. */
    private static void table(StringBuilder md, List<String> header, List<List<String>> rows, int firstNumeric) {
        md.append('|');
        for (String h : header) md.append(' ').append(cell(h)).append(" |");
        md.append("\n|");
        for (int i = 0; i < header.size(); i++) md.append(i < firstNumeric ? " --- |" : " ---: |");
        md.append('\n');
        for (List<String> row : rows) {
            md.append('|');
            for (String v : row) md.append(' ').append(cell(v)).append(" |");
            md.append('\n');
        }
        md.append('\n');
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    /** Text inside a quote: line breaks would end it, and * or _ would start emphasis. */
    private static String inline(String text) {
        return text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").replace("\n", " ");
    }
}
