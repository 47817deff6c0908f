package io.recur.report;

import io.recur.train.EpochRecord;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;

/**
 * The training curves as PNG {@code data:} URIs, drawn off-screen. Rendering needs the JDK's
 * font support but no display.
 */
final class EpochCharts {
    static final int WIDTH = 640;
    static final int HEIGHT = 320;
    private static final Color TRAIN = new Color(0x2563eb);
    private static final Color VALIDATION = new Color(0xea580c);
    private static final Color BEST = new Color(0x16a34a);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    static {
        // Charts are drawn into a BufferedImage and never need a display. A driver with DISPLAY set
        // but no reachable X server would otherwise fail when AWT first looks for one.
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private EpochCharts() {}

    /** Train and validation loss per epoch, the best epoch marked. */
    static String losses(List<EpochRecord> epochs) {
        XYSeries train = new XYSeries("train loss (last averaging round)");
        XYSeries validation = new XYSeries("validation loss");
        for (EpochRecord e : epochs) {
            if (Double.isFinite(e.trainLoss())) train.add(e.epoch(), e.trainLoss());
            if (Double.isFinite(e.validationLoss())) validation.add(e.epoch(), e.validationLoss());
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(train);
        data.addSeries(validation);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        renderer.setSeriesPaint(0, TRAIN);
        renderer.setSeriesPaint(1, VALIDATION);
        renderer.setSeriesStroke(0, new BasicStroke(2f));
        renderer.setSeriesStroke(1, new BasicStroke(2f));
        XYPlot plot = plot(data, "cross-entropy (nats per prediction)", renderer);
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        for (EpochRecord e : epochs) {
            if (!e.best()) continue;
            ValueMarker marker = new ValueMarker(e.epoch(), BEST, new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
                    BasicStroke.JOIN_MITER, 1f, new float[]{5f, 4f}, 0f));
            marker.setLabel("best epoch " + e.epoch());
            marker.setLabelFont(LABEL);
            marker.setLabelPaint(BEST);
            marker.setLabelAnchor(RectangleAnchor.TOP_LEFT);
            marker.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
            plot.addDomainMarker(marker);
        }
        return png(chart(plot));
    }

    /** Real (unpadded) tokens per second of fitting, per epoch. */
    static String throughput(List<EpochRecord> epochs) {
        XYSeries speed = new XYSeries("tokens per second");
        for (EpochRecord e : epochs) speed.add(e.epoch(), e.tokensPerSecond());
        XYBarRenderer renderer = new XYBarRenderer(0.35);
        renderer.setShadowVisible(false);
        renderer.setDrawBarOutline(false);
        renderer.setBarPainter(new org.jfree.chart.renderer.xy.StandardXYBarPainter());
        renderer.setSeriesPaint(0, TRAIN);
        return png(chart(plot(new XYSeriesCollection(speed), "tokens per second", renderer)));
    }

    private static XYPlot plot(XYSeriesCollection data, String rangeLabel,
                               org.jfree.chart.renderer.xy.XYItemRenderer renderer) {
        NumberAxis epochAxis = new NumberAxis("epoch");
        epochAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        epochAxis.setAutoRangeIncludesZero(false);
        // Half an epoch of margin keeps the first and last points (and bars) off the plot's edge.
        double first = data.getDomainLowerBound(false), last = data.getDomainUpperBound(false);
        if (!Double.isNaN(first)) epochAxis.setRange(first - 0.5, last + 0.5);
        NumberAxis valueAxis = new NumberAxis(rangeLabel);
        for (NumberAxis axis : new NumberAxis[]{epochAxis, valueAxis}) {
            axis.setLabelFont(LABEL);
            axis.setTickLabelFont(LABEL.deriveFont(11f));
        }
        XYPlot plot = new XYPlot(data, epochAxis, valueAxis, renderer);
        plot.setOrientation(PlotOrientation.VERTICAL);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xe5e7eb));
        plot.setRangeGridlinePaint(new Color(0xe5e7eb));
        plot.setOutlineVisible(false);
        return plot;
    }

    private static JFreeChart chart(XYPlot plot) {
        JFreeChart chart = new JFreeChart(null, LABEL, plot, plot.getSeriesCount() > 1);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        if (chart.getLegend() != null) {
            chart.getLegend().setItemFont(LABEL);
            chart.getLegend().setFrame(org.jfree.chart.block.BlockBorder.NONE);
        }
        return chart;
    }

    /** Drawn at twice the displayed size so that it stays sharp on high-density screens. */
    private static String png(JFreeChart chart) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ChartUtils.writeScaledChartAsPNG(out, chart, WIDTH, HEIGHT, 2, 2);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(out.toByteArray());
    }
}
