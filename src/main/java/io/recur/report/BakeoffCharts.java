package io.recur.report;

import io.recur.config.Cell;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import java.util.List;

/** The bake-off's charts as PNG bytes: the held-out metric against the swept value, and validation curves. */
final class BakeoffCharts {
    private static final Color BASELINE = new Color(0x6b7280);
    private static final double SOLVED_MSE = 0.01;

    private BakeoffCharts() {}

    /**
     * The headline metric of every member against the swept value: one series per cell, its mean
     * over the seeds with the 95% interval as error bars, and the baseline's mean dashed. Numeric
     * values are placed on a number axis, others evenly with their names; an error metric (MSE)
     * gets a logarithmic axis, where "solved" and "baseline" lie decades apart.
     */
    static byte[] metricBySweep(BakeoffComparison c) {
        boolean numeric = c.sweepKey() != null && c.sweepValues().stream().allMatch(BakeoffCharts::isNumber);
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        for (String cell : c.cells()) {
            YIntervalSeries series = new YIntervalSeries(cell);
            for (BakeoffComparison.Member m : c.members()) {
                SeedInterval i = m.heldOut();
                if (m.cell().equals(cell) && m.anyOk() && plottable(i.mean(), c))
                    series.add(x(c, m.sweepValue(), numeric), i.mean(), barLow(i, c), barHigh(i));
            }
            data.addSeries(series);
        }
        YIntervalSeries baseline = new YIntervalSeries("baseline");
        for (String value : c.sweepValues()) {
            c.membersAt(value).stream().filter(BakeoffComparison.Member::anyOk).findFirst()
                    .map(m -> m.baseline().mean()).filter(b -> plottable(b, c))
                    .ifPresent(b -> baseline.add(x(c, value, numeric), b, b, b));
        }
        data.addSeries(baseline);

        ValueAxis xAxis = numeric ? EpochCharts.axis(c.sweepKey())
                : new SymbolAxis(c.sweepKey() == null ? "" : c.sweepKey(), c.sweepKey() == null
                ? new String[]{"all cells"} : c.sweepValues().toArray(String[]::new));
        if (xAxis instanceof NumberAxis n) {
            n.setAutoRangeIncludesZero(false);
            if (c.sweepValues().stream().allMatch(v -> v.matches("-?\\d+"))) n.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        }
        xAxis.setLabelFont(EpochCharts.LABEL);
        xAxis.setTickLabelFont(EpochCharts.LABEL.deriveFont(11f));
        ValueAxis yAxis;
        if (logScale(c)) {
            LogAxis log = new LogAxis("test " + c.metric() + " (log scale)");
            log.setLabelFont(EpochCharts.LABEL);
            log.setTickLabelFont(EpochCharts.LABEL.deriveFont(11f));
            log.setSmallestValue(1e-6);
            log.setNumberFormatOverride(new DecimalFormat("0.####", DecimalFormatSymbols.getInstance(Locale.ROOT)));
            yAxis = log;
        } else {
            NumberAxis linear = EpochCharts.axis("test " + c.metric());
            linear.setAutoRangeIncludesZero(false);
            yAxis = linear;
        }
        XYErrorRenderer renderer = new XYErrorRenderer();
        renderer.setDefaultLinesVisible(true);
        renderer.setDrawXError(false);
        renderer.setCapLength(6);
        renderer.setErrorStroke(new BasicStroke(1.5f));
        styleCells(renderer, c.cells());
        int b = c.cells().size();
        renderer.setSeriesPaint(b, BASELINE);
        renderer.setSeriesShapesVisible(b, false);
        renderer.setSeriesStroke(b, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f,
                new float[]{6f, 4f}, 0f));
        XYPlot plot = EpochCharts.panel(data, null, renderer);
        plot.setDomainAxis(xAxis);
        plot.setRangeAxis(yAxis);
        if ("mse".equals(c.metric())) plot.addRangeMarker(solvedMarker());
        return EpochCharts.pngBytes(EpochCharts.chart(plot, true));
    }

    /** The adding problem's "solved" line, MSE 0.01. */
    private static ValueMarker solvedMarker() {
        ValueMarker marker = new ValueMarker(SOLVED_MSE, BASELINE, new BasicStroke(1f, BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_MITER, 1f, new float[]{2f, 3f}, 0f));
        marker.setLabel("solved (MSE 0.01)");
        marker.setLabelFont(EpochCharts.LABEL.deriveFont(11f));
        marker.setLabelPaint(BASELINE);
        marker.setLabelAnchor(RectangleAnchor.BOTTOM_RIGHT);
        marker.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
        return marker;
    }

    /**
     * Validation loss per epoch of every cell and seed at one swept value: one line per run in its
     * cell's colour, the legend naming each cell once.
     */
    static byte[] validationCurves(BakeoffComparison c, String sweepValue) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        int longest = 1;
        for (String cell : c.cells()) {
            for (BakeoffComparison.Member m : c.membersAt(sweepValue)) {
                if (!m.cell().equals(cell)) continue;
                boolean first = true;
                for (BakeoffComparison.SeedRun run : m.runs()) {
                    // Series keys must differ; the legend shows only each cell's first.
                    XYSeries series = new XYSeries(first ? cell : cell + " seed " + run.seed());
                    List<Double> losses = run.validationLoss();
                    longest = Math.max(longest, losses.size());
                    for (int i = 0; i < losses.size(); i++)
                        if (Double.isFinite(losses.get(i))) series.add(i + 1, losses.get(i));
                    int index = data.getSeriesCount();
                    data.addSeries(series);
                    renderer.setSeriesPaint(index, color(cell));
                    renderer.setSeriesStroke(index, new BasicStroke(first ? 2f : 1.2f));
                    renderer.setSeriesVisibleInLegend(index, first);
                    first = false;
                }
            }
        }
        NumberAxis epochs = EpochCharts.epochAxis(1, longest);
        NumberAxis loss = EpochCharts.axis("validation loss");
        loss.setAutoRangeIncludesZero(false);
        XYPlot plot = EpochCharts.panel(data, loss, renderer);
        plot.setDomainAxis(epochs);
        return EpochCharts.pngBytes(EpochCharts.chart(plot, true));
    }

    private static void styleCells(XYLineAndShapeRenderer renderer, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            renderer.setSeriesPaint(i, color(cells.get(i)));
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
    }

    /** The interval's lower end; a bar below zero cannot be drawn on a log axis, so it stops at the smallest seed's value. */
    private static double barLow(SeedInterval i, BakeoffComparison c) {
        if (!i.hasInterval()) return i.mean();
        if (logScale(c) && i.low() <= 0) return i.values().stream().mapToDouble(Double::doubleValue).min().orElse(i.mean());
        return i.low();
    }

    private static double barHigh(SeedInterval i) {
        return i.hasInterval() ? i.high() : i.mean();
    }

    /** One colour per cell, the same in every chart; a new cell must be given its own. */
    static Color color(String cell) {
        return switch (Cell.byId(cell).orElseThrow(() -> new IllegalArgumentException("no cell named " + cell))) {
            case RNN -> new Color(0xdc2626);
            case LSTM -> new Color(0x2563eb);
            case GRU -> new Color(0x16a34a);
            case MGU -> new Color(0x9333ea);
        };
    }

    static boolean logScale(BakeoffComparison c) {
        return "mse".equals(c.metric());
    }

    private static boolean plottable(double value, BakeoffComparison c) {
        return Double.isFinite(value) && (!logScale(c) || value > 0);
    }

    private static double x(BakeoffComparison c, String value, boolean numeric) {
        return numeric ? Double.parseDouble(value) : Math.max(0, c.sweepValues().indexOf(value));
    }

    private static boolean isNumber(String text) {
        try {
            return Double.isFinite(Double.parseDouble(text));
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
