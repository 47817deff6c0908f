package io.recur.report;

import java.awt.AWTError;
import java.util.function.Supplier;

/**
 * A chart drawn as PNG bytes, or the reason it could not be drawn (a JDK without font support,
 * say): the machine's graphics must not cost a trained run, so reports show a note instead.
 *
 * @param file    the PNG's file name beside {@code report.md}
 * @param png     null when drawing failed
 * @param failure why drawing failed; null when it did not
 */
record ChartImage(String file, String caption, byte[] png, String failure) {
    static ChartImage draw(String file, String caption, Supplier<byte[]> png) {
        try {
            return new ChartImage(file, caption, png.get(), null);
        } catch (RuntimeException | LinkageError | AWTError | InternalError e) {
            return new ChartImage(file, caption, null, String.valueOf(e));
        }
    }

    boolean drawn() {
        return png != null;
    }

    /**
     * The chart as an HTML figure with the PNG inline, or the note.
     *
     * @param values where the reader finds the charted values when the chart is missing
     */
    void figure(StringBuilder html, String id, String values) {
        html.append("<figure id=\"").append(id).append("\">");
        if (drawn()) {
            html.append("<img src=\"").append(EpochCharts.dataUri(png)).append("\" width=\"").append(EpochCharts.WIDTH)
                    .append("\" height=\"").append(EpochCharts.HEIGHT).append("\" alt=\"").append(Html.escape(caption))
                    .append("\">");
        } else {
            html.append("<p class=\"note\">Chart not drawn: ").append(Html.escape(failure)).append(". The values are in ")
                    .append(Html.escape(values)).append(".</p>");
        }
        html.append("<figcaption>").append(Html.escape(caption)).append("</figcaption></figure>");
    }

    /** The chart as Markdown: the image beside the report, or the note. */
    String markdown() {
        return drawn() ? "![" + caption + "](" + file + ")\n\n"
                : "*" + caption + ": chart not drawn (" + failure.replace("\n", " ") + ").*\n\n";
    }
}
