package io.recur.report;

import io.recur.train.EpochRecord;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CombinedDomainXYPlot;
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
 * The training curves as PNG images, drawn off-screen. Rendering needs the JDK's
 * font support but no display.
 */
final class EpochCharts {
    /** Display size in CSS pixels: about half the page, so two charts sit side by side unscaled. */
    static final int WIDTH = 480;
    static final int HEIGHT = 340;
    private static final Color TRAIN = new Color(0x2563eb);
    private static final Color VALIDATION = new Color(0xea580c);
    private static final Color BEST = new Color(0x16a34a);
    static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    static {
        // Charts are drawn into a BufferedImage and never need a display. A driver with DISPLAY set
        // but no reachable X server would otherwise fail when AWT first looks for one.
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private EpochCharts() {}

    /**
     * Validation and train loss per epoch in two panels over one epoch axis: both are per prediction,
     * but the train loss is the workers' score of the epoch's last round (with dropout, on other
     * parameters than the averaged ones), so on one axis a gap between the curves would read as
     * overfitting where there is none. The epoch whose parameters were kept is marked.
     */
    static byte[] losses(List<EpochRecord> epochs, int bestEpoch) {
        XYSeries train = new XYSeries("train loss per prediction (workers' last round)");
        XYSeries validation = new XYSeries("validation cross-entropy (nats per prediction)");
        for (EpochRecord e : epochs) {
            if (Double.isFinite(e.trainLoss())) train.add(e.epoch(), e.trainLoss());
            if (Double.isFinite(e.validationLoss())) validation.add(e.epoch(), e.validationLoss());
        }
        NumberAxis epochAxis = epochAxis(validation.getMinX(), validation.getMaxX());
        CombinedDomainXYPlot combined = new CombinedDomainXYPlot(epochAxis);
        combined.setGap(14);
        XYPlot top = panel(new XYSeriesCollection(validation), axis("validation"), lineRenderer(VALIDATION));
        XYPlot bottom = panel(new XYSeriesCollection(train), axis("train"), lineRenderer(TRAIN));
        for (XYPlot panel : List.of(top, bottom)) {
            ((NumberAxis) panel.getRangeAxis()).setAutoRangeIncludesZero(false);
            if (bestEpoch > 0) panel.addDomainMarker(keptMarker(bestEpoch, panel == top));
        }
        combined.add(top, 3);
        combined.add(bottom, 2);
        return pngBytes(chart(combined, true));
    }

    private static ValueMarker keptMarker(int epoch, boolean labelled) {
        ValueMarker marker = new ValueMarker(epoch, BEST, new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_MITER, 1f, new float[]{5f, 4f}, 0f));
        if (labelled) {
            marker.setLabel("kept: epoch " + epoch);
            marker.setLabelFont(LABEL);
            marker.setLabelPaint(BEST);
            marker.setLabelBackgroundColor(Color.WHITE);
            marker.setLabelAnchor(RectangleAnchor.TOP_LEFT);
            marker.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
        }
        return marker;
    }

    static XYLineAndShapeRenderer lineRenderer(Color color) {
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        renderer.setSeriesPaint(0, color);
        renderer.setSeriesStroke(0, new BasicStroke(2f));
        return renderer;
    }

    /** Real (unpadded) tokens per second of fitting, per epoch. */
    static byte[] throughput(List<EpochRecord> epochs) {
        XYSeries speed = new XYSeries("tokens per second");
        for (EpochRecord e : epochs) speed.add(e.epoch(), e.tokensPerSecond());
        XYBarRenderer renderer = new XYBarRenderer(0.35);
        renderer.setShadowVisible(false);
        renderer.setDrawBarOutline(false);
        renderer.setBarPainter(new StandardXYBarPainter());
        renderer.setSeriesPaint(0, TRAIN);
        XYPlot plot = panel(new XYSeriesCollection(speed), axis("tokens per second"), renderer);
        plot.setDomainAxis(epochAxis(speed.getMinX(), speed.getMaxX()));
        return pngBytes(chart(plot, false));
    }

    /** Whole epochs only, with half an epoch of margin so the end points and bars stay off the edge. */
    static NumberAxis epochAxis(double first, double last) {
        NumberAxis axis = axis("epoch");
        axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        axis.setAutoRangeIncludesZero(false);
        if (!Double.isNaN(first)) axis.setRange(first - 0.5, last + 0.5);
        return axis;
    }

    static XYPlot panel(org.jfree.data.xy.XYDataset data, NumberAxis valueAxis, XYItemRenderer renderer) {
        XYPlot plot = new XYPlot(data, null, valueAxis, renderer);
        plot.setOrientation(PlotOrientation.VERTICAL);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xe5e7eb));
        plot.setRangeGridlinePaint(new Color(0xe5e7eb));
        plot.setOutlineVisible(false);
        return plot;
    }

    static NumberAxis axis(String label) {
        NumberAxis axis = new NumberAxis(label);
        axis.setLabelFont(LABEL);
        axis.setTickLabelFont(LABEL.deriveFont(11f));
        return axis;
    }

    static JFreeChart chart(XYPlot plot, boolean legend) {
        JFreeChart chart = new JFreeChart(null, LABEL, plot, legend);
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
    static byte[] pngBytes(JFreeChart chart) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ChartUtils.writeScaledChartAsPNG(out, chart, WIDTH, HEIGHT, 2, 2);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static String dataUri(byte[] png) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
    }
}
