package io.recur.spark.ml;

import io.recur.config.Task;
import io.recur.run.SavedRun;
import io.recur.run.RunMetrics;
import io.recur.score.ColumnScorer;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A fitted recur stage: a published run directory and the run loaded from it. {@link #transform}
 * appends the run's answers for the input column, scored on the executors ({@link ColumnScorer});
 * {@link #write} saves the run directory itself, with Spark ML's {@code metadata/} beside its files,
 * so that {@code recur predict --model}, {@code evaluate} and {@code score} load a saved model, and
 * a model loads any run directory of its task.
 *
 * @param <M> the model's own type
 */
public abstract class RecurModel<M extends RecurModel<M>> extends Model<M> implements MLWritable {
    private final String uid;
    private final String runDirectory;
    private final SavedRun run;
    private final List<Param<?>> columns = new ArrayList<>();

    /** @throws IllegalArgumentException if the run was trained for another task */
    RecurModel(String uid, String runDirectory, SavedRun run, Task task) {
        if (run.spec().task() != task)
            throw new IllegalArgumentException(runDirectory + ": job.task = " + run.spec().task().label() + ", but "
                    + getClass().getSimpleName() + " answers job.task = " + task.label());
        this.uid = uid;
        this.runDirectory = runDirectory;
        this.run = run;
    }

    final Param<String> column(String name, String doc, String defaultName) {
        Param<String> p = new Param<>(uid, name, doc);
        columns.add(p);
        setDefault(p, defaultName);
        return p;
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public Param<?>[] params() {
        return columns.stream().sorted(Comparator.comparing(Param::name)).toArray(Param<?>[]::new);
    }

    /** Where the run is: where training published it, or where the model was loaded from. */
    public String runDirectory() {
        return runDirectory;
    }

    SavedRun run() {
        return run;
    }

    /** The run's {@code metrics.json}: its held-out metrics and baselines, as {@code recur train} reports them. */
    public RunMetrics metrics() {
        Path file = new Path(runDirectory, RunMetrics.FILE);
        try (InputStream in = file.getFileSystem(SparkSession.active().sparkContext().hadoopConfiguration()).open(file)) {
            return RunMetrics.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read it (" + e.getMessage() + ")", e);
        }
    }

    /** The column the model reads: a text ({@code string}) or tokens ({@code array<string>}). */
    abstract String inputColumn();

    /** The output columns' names by parameter, in the order they are appended. */
    abstract Map<String, String> outputColumns();

    /** Names the input column as the run's table did, for a run directory that has no Spark ML metadata. */
    abstract void readColumnsOfTheRun();

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        return new ColumnScorer(run, runDirectory).transform(dataset.toDF(), inputColumn(),
                List.copyOf(outputColumns().values()));
    }

    @Override
    public MLWriter write() {
        return new RunWriter(this);
    }
}
