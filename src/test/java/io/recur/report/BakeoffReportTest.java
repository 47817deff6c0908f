package io.recur.report;

import io.recur.config.Task;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bake-off report rendered from a hand-made comparison: what it marks best and how it lays out. */
@DisplayName("BakeoffReport")
class BakeoffReportTest {
    private static final List<Long> SEEDS = List.of(42L, 43L, 44L);

    /** A member with one run per held-out value, seeds 42, 43, ... */
    private static BakeoffComparison.Member member(String cell, String value, double baseline, double... heldOut) {
        return memberWithStrongBaseline(cell, value, baseline, null, heldOut);
    }

    /** As {@link #member(String, String, double, double...)}, with a strong baseline of {@code strong} (null: not fitted). */
    private static BakeoffComparison.Member memberWithStrongBaseline(String cell, String value, double baseline, Double strong,
                                                   double... heldOut) {
        List<BakeoffComparison.SeedRun> runs = new ArrayList<>();
        for (int i = 0; i < heldOut.length; i++) {
            long seed = 42 + i;
            runs.add(new BakeoffComparison.SeedRun(seed, "runs/" + value + "/" + cell + "/20261203-052000-s" + seed, "ok",
                    heldOut[i], baseline, strong, 10.0, 1000.0, 3, 2, 0.5, List.of(0.7, 0.5, 0.6)));
        }
        return new BakeoffComparison.Member(cell, value, 16, 1000, runs);
    }

    private static BakeoffComparison accuracyComparison(List<Long> seeds, BakeoffComparison.Member... members) {
        return new BakeoffComparison("sms", "20261203-052000-ab12", Task.CLASSIFY, "accuracy", false,
                "corpus.max-examples", List.of("100", "200"), List.of("rnn", "lstm", "gru"), seeds, 16, 60.0,
                List.of(members), "model { cell = lstm }");
    }

    @Test
    void aCellThatOnlyTiesTheBaselineIsNotMarkedBest() {
        BakeoffComparison c = accuracyComparison(SEEDS, member("rnn", "100", 0.86, 0.86, 0.86, 0.86),
                member("lstm", "100", 0.86, 0.85, 0.86, 0.87), member("gru", "100", 0.86, 0.80, 0.80, 0.81));
        assertTrue(c.membersAt("100").stream().noneMatch(m -> BakeoffReport.isBest(c, m)));
    }

    @Test
    void theBestCellIsMarkedWhenItsIntervalIsApartFromTheOthers() {
        BakeoffComparison c = accuracyComparison(SEEDS, member("rnn", "200", 0.86, 0.90, 0.91, 0.90),
                member("lstm", "200", 0.86, 0.95, 0.951, 0.952), member("gru", "200", 0.86, 0.93, 0.931, 0.93));
        assertTrue(BakeoffReport.isBest(c, c.members().get(1)));
        assertFalse(BakeoffReport.isBest(c, c.members().get(2)));
    }

    @Test
    void aHigherMeanWhoseIntervalOverlapsAnotherCellsIsNotMarked() {
        BakeoffComparison c = accuracyComparison(SEEDS, member("lstm", "200", 0.86, 0.93, 0.97, 0.95),
                member("gru", "200", 0.86, 0.92, 0.96, 0.94));
        assertTrue(c.members().stream().noneMatch(m -> BakeoffReport.isBest(c, m)));
    }

    @Test
    void oneSeedMarksNoCellHoweverFarAhead() {
        BakeoffComparison c = accuracyComparison(List.of(42L), member("rnn", "200", 0.86, 0.87),
                member("lstm", "200", 0.86, 0.99));
        assertFalse(BakeoffReport.isBest(c, c.members().get(1)));
    }

    @Test
    void aLowerIsBetterMetricMustBeBelowTheBaseline() {
        BakeoffComparison c = new BakeoffComparison("copy", "20261203-052000-ab12", Task.CLASSIFY, "mse", true,
                null, List.of(""), List.of("lstm"), SEEDS, 16, 60.0, List.of(member("lstm", "", 0.25, 0.30, 0.31, 0.30)), "");
        assertFalse(BakeoffReport.isBest(c, c.members().get(0)));
    }

    @Test
    void theTableShowsTheMeanTheIntervalAndEverySeedsValue() {
        BakeoffComparison c = accuracyComparison(SEEDS, member("lstm", "100", 0.86, 0.90, 0.91, 0.92));
        String md = BakeoffReport.markdown(c, List.of(new ChartImage("chart-metric.png", "metric", null, "no fonts")));
        // mean 0.91, sd 0.01, half-width 4.3027 * 0.01 / sqrt(3) = 0.0248
        assertTrue(md.contains("| **0.9100** | [0.8852, 0.9348] | 0.9000, 0.9100, 0.9200 | 0.8600 |"), md);
        assertTrue(md.contains("95% interval"), md);
    }

    @Test
    void theTableShowsTheStrongBaselineBesideTheBaselineWhereItWasFitted() {
        BakeoffComparison c = accuracyComparison(SEEDS, memberWithStrongBaseline("lstm", "100", 0.86, 0.95, 0.90, 0.91, 0.92));
        String md = BakeoffReport.markdown(c, List.of(new ChartImage("chart-metric.png", "metric", null, "no fonts")));
        assertTrue(md.contains("| baseline | strong baseline |"), md);
        assertTrue(md.contains("| 0.9000, 0.9100, 0.9200 | 0.8600 | 0.9500 |"), md);
    }

    @Test
    void theStrongBaselineIsInTheConsoleTableAndComparisonJson() {
        BakeoffComparison c = accuracyComparison(SEEDS, memberWithStrongBaseline("lstm", "100", 0.86, 0.95, 0.90, 0.91, 0.92));
        String table = io.recur.bakeoff.Bakeoff.table(c);
        assertTrue(table.lines().findFirst().orElseThrow().contains("strong"), table);
        assertTrue(table.contains("0.8600     0.9500"), table);
        @SuppressWarnings("unchecked")
        var row = ((List<java.util.Map<String, Object>>) c.toJson().get("rows")).get(0);
        assertEquals(0.95, (Double) ((java.util.Map<?, ?>) row.get("strongBaseline")).get("mean"), 1e-12);
    }

    @Test
    void noStrongBaselineColumnWhereNoneWasFitted() {
        BakeoffComparison c = accuracyComparison(SEEDS, member("lstm", "100", 0.86, 0.90, 0.91, 0.92));
        String md = BakeoffReport.markdown(c, List.of(new ChartImage("chart-metric.png", "metric", null, "no fonts")));
        assertFalse(md.contains("strong baseline"), md);
        assertFalse(io.recur.bakeoff.Bakeoff.table(c).contains("strong"));
    }

    @Test
    void theRunColumnLinksEverySeedsRunByItsIdWithoutWrapping() {
        BakeoffComparison c = accuracyComparison(SEEDS, member("lstm", "100", 0.86, 0.9, 0.91));
        String html = BakeoffReport.html(c, List.of(new ChartImage("chart-metric.png", "metric", null, "no fonts")));
        assertTrue(html.contains("<td class=\"run\"><a href=\"runs/100/lstm/20261203-052000-s42/report.html\" "
                + "title=\"runs/100/lstm/20261203-052000-s42\">20261203-052000-s42</a><br><a href=\"runs/100/lstm/"
                + "20261203-052000-s43/report.html\""), html);
        assertTrue(html.contains("td.run{white-space:nowrap}"));
    }

    @Test
    void chartsKeepTheirOwnSizeInsteadOfStretchingToTheRow() {
        String html = BakeoffReport.html(accuracyComparison(SEEDS, member("lstm", "100", 0.86, 0.9)),
                List.of(new ChartImage("chart-metric.png", "metric", null, "no fonts")));
        assertTrue(html.contains(".charts figure{flex:0 1 460px;"), "a lone chart would grow to the page width");
    }
}
