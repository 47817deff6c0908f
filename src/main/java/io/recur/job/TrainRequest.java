package io.recur.job;

import org.apache.spark.api.java.JavaSparkContext;
import io.recur.run.RunDirectory;

import java.util.Objects;

/**
 * Where one training run happens and how it starts, for {@link TrainJob#run}.
 *
 * @param spark   a running Spark context, left running; null: the job starts one from the spec and
 *                {@code master} and stops it when the run ends
 * @param master  the Spark master that overrides the spec's {@code spark.master} when the job
 *                starts Spark; null: what spark-submit set, else the spec's. Only without {@code spark}.
 * @param dir     the claimed run directory to publish into; null: the job claims one under the
 *                spec's {@code output.dir}. Either way it is discarded if the run fails.
 * @param options from scratch, resumed, warm-started, or on prepared data
 */
public record TrainRequest(JavaSparkContext spark, String master, RunDirectory dir, TrainOptions options) {
    public TrainRequest {
        Objects.requireNonNull(options, "options");
        if (spark != null && master != null)
            throw new IllegalArgumentException("master " + master + " applies only when the job starts Spark, "
                    + "but the request brings a running context");
    }

    /** Starts Spark on {@code master} (null: the default) and claims the run directory, as {@code recur train} does. */
    public static TrainRequest startingSpark(String master) {
        return new TrainRequest(null, master, null, TrainOptions.fresh());
    }

    /** With a running Spark context, into a claimed run directory. */
    public static TrainRequest in(JavaSparkContext spark, RunDirectory dir) {
        return new TrainRequest(Objects.requireNonNull(spark, "spark"), null, Objects.requireNonNull(dir, "dir"),
                TrainOptions.fresh());
    }

    public TrainRequest with(TrainOptions options) {
        return new TrainRequest(spark, master, dir, options);
    }
}
