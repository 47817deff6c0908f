package io.recur.train;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Shows on the driver where training stands: epoch, averaging round, examples seen, loss,
 * tokens per second and time left. On a terminal it redraws one status line; in a log (no
 * console) it prints a plain line per round at most every {@code LOG_INTERVAL_SECONDS}.
 *
 * <p>Every averaging round of DL4J's training master is one Spark job, so a listener on job
 * ends counts rounds without touching the training code.
 */
public final class TrainingProgress extends SparkListener {
    private static final long LOG_INTERVAL_SECONDS = 10;
    private final PrintStream out;
    private final boolean live;
    private final int epochs;
    private final int roundsPerEpoch;
    private final long examplesPerEpoch;
    private final long tokensPerEpoch;
    private final TimeLeft timeLeft;
    private volatile SparkDl4jMultiLayer net;
    private volatile int epoch;
    private volatile long epochStartNanos;
    private volatile long lastLineNanos;

    /**
     * @param roundsPerEpoch averaging rounds per epoch, {@link AveragingTrainer#roundsPerEpoch}
     */
    public TrainingProgress(PrintStream out, boolean live, int epochs, int roundsPerEpoch,
                            long examplesPerEpoch, long tokensPerEpoch) {
        this.out = out;
        this.live = live;
        this.epochs = epochs;
        this.roundsPerEpoch = Math.max(1, roundsPerEpoch);
        this.examplesPerEpoch = examplesPerEpoch;
        this.tokensPerEpoch = tokensPerEpoch;
        this.timeLeft = new TimeLeft(epochs, roundsPerEpoch);
    }

    public void attach(JavaSparkContext sc) {
        sc.sc().addSparkListener(this);
    }

    public void detach(JavaSparkContext sc) {
        sc.sc().removeSparkListener(this);
        if (live) out.println();
    }

    void epochStarted(int epoch, SparkDl4jMultiLayer net) {
        this.net = net;
        this.epoch = epoch;
        this.epochStartNanos = System.nanoTime();
        synchronized (timeLeft) {
            timeLeft.epochStarted(epoch, epochStartNanos);
        }
    }

    void epochEnded(EpochRecord r) {
        synchronized (timeLeft) {
            timeLeft.epochEnded(r.seconds());
        }
        if (live) out.print("\r\033[K");
        out.printf(Locale.ROOT, "epoch %d/%d  train loss %.4f  validation loss %.4f%s  %.1f s  %.0f tokens/s%n",
                r.epoch(), epochs, r.trainLoss(), r.validationLoss(), r.best() ? " (best)" : "",
                r.seconds(), r.tokensPerSecond());
        out.flush();
    }

    @Override
    public void onJobEnd(SparkListenerJobEnd jobEnd) {
        if (net == null) return;
        long now = System.nanoTime();
        synchronized (timeLeft) {
            timeLeft.roundEnded(now);
        }
        if (!live && (now - lastLineNanos) / 1e9 < LOG_INTERVAL_SECONDS) return;
        lastLineNanos = now;
        String line = status(now);
        if (live) out.print("\r\033[K" + line);
        else out.println(line);
        out.flush();
    }

    String status(long now) {
        int round;
        OptionalDouble left;
        synchronized (timeLeft) {
            round = timeLeft.round();
            left = timeLeft.seconds(now);
        }
        double fraction = (double) round / roundsPerEpoch;
        double elapsed = (now - epochStartNanos) / 1e9;
        int width = 20, filled = (int) Math.round(fraction * width);
        double score = net.getScore();
        // DL4J reports 0 until the first averaging round of the job has finished.
        String loss = score > 0 ? String.format(Locale.ROOT, "%.4f", score) : "-";
        return String.format(Locale.ROOT, "epoch %d/%d [%s%s] round %d/%d  %d examples  loss %s  %.0f tokens/s  %s",
                epoch, epochs, "#".repeat(filled), ".".repeat(width - filled), round, roundsPerEpoch,
                (long) (fraction * examplesPerEpoch), loss,
                elapsed > 0 ? fraction * tokensPerEpoch / elapsed : 0.0, format(left));
    }

    static String format(OptionalDouble seconds) {
        if (seconds.isEmpty()) return "estimating time left";
        Duration d = Duration.ofSeconds(Math.round(seconds.getAsDouble()));
        return d.toHours() > 0 ? String.format("%dh%02dm left", d.toHours(), d.toMinutesPart())
                : String.format("%dm%02ds left", d.toMinutes(), d.toSecondsPart());
    }
}
