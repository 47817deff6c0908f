package io.recur.report;

import io.recur.config.Task;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bake-off report rendered from a hand-made comparison: what it marks best and how it lays out. */
@DisplayName("BakeoffReport")
class BakeoffReportTest {
    private static BakeoffComparison.Member member(String cell, String value, double heldOut, double baseline) {
        return new BakeoffComparison.Member(cell, value, "runs/" + value + "/" + cell + "/20261203-052000-ab12",
                16, 1000, "ok", heldOut, baseline, 10.0, 1000.0, 3, 2, 0.5, List.of(0.7, 0.5, 0.6));
    }

    private static BakeoffComparison accuracyComparison(BakeoffComparison.Member... members) {
        return new BakeoffComparison("sms", "20261203-052000-ab12", Task.CLASSIFY, "accuracy", false,
                "corpus.max-examples", List.of("100", "200"), List.of("rnn", "lstm", "gru"), 16, 60.0,
                List.of(members), "model { cell = lstm }");
    }

    @Test
    void aCellThatOnlyTiesTheBaselineIsNotMarkedBest() {
        BakeoffComparison c = accuracyComparison(member("rnn", "100", 0.86, 0.86), member("lstm", "100", 0.86, 0.86),
                member("gru", "100", 0.80, 0.86));
        assertTrue(c.membersAt("100").stream().noneMatch(m -> BakeoffReport.isBest(c, m)));
    }

    @Test
    void theBestCellThatBeatsTheBaselineIsMarked() {
        BakeoffComparison c = accuracyComparison(member("rnn", "200", 0.90, 0.86), member("lstm", "200", 0.95, 0.86),
                member("gru", "200", 0.93, 0.86));
        assertTrue(BakeoffReport.isBest(c, c.members().get(1)));
        assertFalse(BakeoffReport.isBest(c, c.members().get(2)));
    }

    @Test
    void aLowerIsBetterMetricMustBeBelowTheBaseline() {
        BakeoffComparison c = new BakeoffComparison("copy", "20261203-052000-ab12", Task.CLASSIFY, "mse", true,
                null, List.of(""), List.of("lstm"), 16, 60.0, List.of(member("lstm", "", 0.30, 0.25)), "");
        assertFalse(BakeoffReport.isBest(c, c.members().get(0)));
    }

    @Test
    void theRunColumnShowsTheRunIdAndLinksTheWholePathWithoutWrapping() {
        BakeoffComparison c = accuracyComparison(member("lstm", "100", 0.9, 0.86));
        String html = BakeoffReport.html(c, List.of(new ChartImage("chart-metric.png", "metric", null, "no fonts")));
        assertTrue(html.contains("<td class=\"run\"><a href=\"runs/100/lstm/20261203-052000-ab12/report.html\" "
                + "title=\"runs/100/lstm/20261203-052000-ab12\">20261203-052000-ab12</a></td>"), html);
        assertTrue(html.contains("td.run{white-space:nowrap}"));
    }

    @Test
    void chartsKeepTheirOwnSizeInsteadOfStretchingToTheRow() {
        String html = BakeoffReport.html(accuracyComparison(member("lstm", "100", 0.9, 0.86)),
                List.of(new ChartImage("chart-metric.png", "metric", null, "no fonts")));
        assertTrue(html.contains(".charts figure{flex:0 1 460px;"), "a lone chart would grow to the page width");
    }
}
