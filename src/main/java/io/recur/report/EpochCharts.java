package io.recur.report;

import io.recur.train.EpochRecord;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYItemRenderer;
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
    /** Display size in CSS pixels: about half the page, so two charts sit side by side unscaled. */
    static final int WIDTH = 480;
    static final int HEIGHT = 300;
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

    /**
     * Train and validation loss per epoch, each on its own axis: the workers' minibatch score is
     * summed over time steps while the validation loss is per prediction, so on one axis the
     * validation curve would lie flat. The epoch whose parameters were kept is marked.
     */
    static String losses(List<EpochRecord> epochs, int bestEpoch) {
        XYSeries train = new XYSeries("train loss (workers' minibatch score, left)");
        XYSeries validation = new XYSeries("validation cross-entropy (right)");
        for (EpochRecord e : epochs) {
            if (Double.isFinite(e.trainLoss())) train.add(e.epoch(), e.trainLoss());
            if (Double.isFinite(e.validationLoss())) validation.add(e.epoch(), e.validationLoss());
        }
        XYPlot plot = plot(new XYSeriesCollection(train), "train loss", lineRenderer(TRAIN));
        NumberAxis validationAxis = axis("validation nats per prediction");
        validationAxis.setAutoRangeIncludesZero(false);
        validationAxis.setLabelPaint(VALIDATION);
        validationAxis.setTickLabelPaint(VALIDATION);
        plot.setRangeAxis(1, validationAxis);
        plot.setDataset(1, new XYSeriesCollection(validation));
        plot.setRenderer(1, lineRenderer(VALIDATION));
        plot.mapDatasetToRangeAxis(1, 1);
        NumberAxis trainAxis = (NumberAxis) plot.getRangeAxis();
        trainAxis.setAutoRangeIncludesZero(false);
        trainAxis.setLabelPaint(TRAIN);
        trainAxis.setTickLabelPaint(TRAIN);
        if (bestEpoch > 0) {
            ValueMarker marker = new ValueMarker(bestEpoch, BEST, new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
                    BasicStroke.JOIN_MITER, 1f, new float[]{5f, 4f}, 0f));
            marker.setLabel("kept: epoch " + bestEpoch);
            marker.setLabelFont(LABEL);
            marker.setLabelPaint(BEST);
            marker.setLabelAnchor(RectangleAnchor.TOP_LEFT);
            marker.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
            plot.addDomainMarker(marker);
        }
        return png(chart(plot));
    }

    private static XYLineAndShapeRenderer lineRenderer(Color color) {
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        renderer.setSeriesPaint(0, color);
        renderer.setSeriesStroke(0, new BasicStroke(2f));
        return renderer;
    }

    /** Real (unpadded) tokens per second of fitting, per epoch. */
    static String throughput(List<EpochRecord> epochs) {
        XYSeries speed = new XYSeries("tokens per second");
        for (EpochRecord e : epochs) speed.add(e.epoch(), e.tokensPerSecond());
        XYBarRenderer renderer = new XYBarRenderer(0.35);
        renderer.setShadowVisible(false);
        renderer.setDrawBarOutline(false);
        renderer.setBarPainter(new StandardXYBarPainter());
        renderer.setSeriesPaint(0, TRAIN);
        return png(chart(plot(new XYSeriesCollection(speed), "tokens per second", renderer)));
    }

    private static XYPlot plot(XYSeriesCollection data, String rangeLabel,
                               XYItemRenderer renderer) {
        NumberAxis epochAxis = new NumberAxis("epoch");
        epochAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        epochAxis.setAutoRangeIncludesZero(false);
        // Half an epoch of margin keeps the first and last points (and bars) off the plot's edge.
        double first = data.getDomainLowerBound(false), last = data.getDomainUpperBound(false);
        if (!Double.isNaN(first)) epochAxis.setRange(first - 0.5, last + 0.5);
        epochAxis.setLabelFont(LABEL);
        epochAxis.setTickLabelFont(LABEL.deriveFont(11f));
        NumberAxis valueAxis = axis(rangeLabel);
        XYPlot plot = new XYPlot(data, epochAxis, valueAxis, renderer);
        plot.setOrientation(PlotOrientation.VERTICAL);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xe5e7eb));
        plot.setRangeGridlinePaint(new Color(0xe5e7eb));
        plot.setOutlineVisible(false);
        return plot;
    }

    private static NumberAxis axis(String label) {
        NumberAxis axis = new NumberAxis(label);
        axis.setLabelFont(LABEL);
        axis.setTickLabelFont(LABEL.deriveFont(11f));
        return axis;
    }

    private static JFreeChart chart(XYPlot plot) {
        JFreeChart chart = new JFreeChart(null, LABEL, plot, plot.getDatasetCount() > 1);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        if (chart.getLegend() != null) {
            chart.getLegend().setItemFont(LABEL);
            chart.getLegend().setFrame(BlockBorder.NONE);
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
