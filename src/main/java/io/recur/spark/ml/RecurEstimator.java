package io.recur.spark.ml;

import io.recur.config.JobSpec;
import io.recur.config.SpecKey;
import io.recur.config.Task;
import io.recur.run.RunDirectory;
import io.recur.run.SavedRun;
import io.recur.job.SparkContexts;
import io.recur.job.TrainJob;
import io.recur.job.TrainRequest;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a recur estimator is: the job spec's keys as parameters ({@link SpecParams}), and a
 * {@link #fit} that trains with the CLI's {@code train} job on the DataFrame's columns: they are
 * written as a Parquet table under {@code output.work-dir} (removed afterwards) and read by the
 * table source, so the examples, their split, the vocabulary, the training and the held-out
 * evaluation are those of {@code recur train} on that table. The run is published under
 * {@code output.dir} as the CLI's is, and the model answers from it.
 *
 * @param <M> the fitted model
 */
public abstract class RecurEstimator<M extends RecurModel<M>> extends Estimator<M> {
    private final String uid;
    private final Task task;
    private final List<Param<?>> columns = new ArrayList<>();
    private final Map<String, SpecParam> spec = new LinkedHashMap<>();

    RecurEstimator(String uid, Task task) {
        this.uid = uid;
        this.task = task;
        for (SpecKey key : SpecParams.keys(task)) {
            SpecParam p = new SpecParam(uid, key);
            spec.put(key.key(), p);
            if (key.defaultValue() != null) setDefault(p, key.defaultValue());
        }
    }

    /** A column parameter of the stage, with its default. */
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

    /** The column parameters and one per job spec key, by name ({@code model.hidden-size}); Spark finds no others. */
    @Override
    public Param<?>[] params() {
        List<Param<?>> all = new ArrayList<>(columns);
        all.addAll(spec.values());
        all.sort(Comparator.comparing(Param::name));
        return all.toArray(Param<?>[]::new);
    }

    /**
     * Sets a job spec key, as {@code --set key=value} would.
     *
     * @param value a number, boolean, string or list of strings, as the job file would write it
     * @throws IllegalArgumentException if the estimator takes no such key or no job file could write the
     *                                  value; whether the spec allows it is checked by {@link #transformSchema}
     */
    public RecurEstimator<M> setSpec(String key, Object value) {
        set(specParam(key), value);
        return this;
    }

    /** The value of a job spec key: the one set, else the default of {@code recur-reference.conf}. */
    public Object getSpec(String key) {
        return getOrDefault(specParam(key));
    }

    private SpecParam specParam(String key) {
        SpecParam p = spec.get(key);
        if (p == null)
            throw new IllegalArgumentException(key + ": not a job spec key " + getClass().getSimpleName() + " takes; it takes "
                    + String.join(", ", spec.keySet()));
        return p;
    }

    /** {@code job.task}, {@code corpus.format} and the {@code corpus.columns.*} of this stage's columns. */
    abstract Map<String, Object> layout();

    /** The columns training reads, in the order of the staged table. */
    abstract List<String> inputColumns();

    abstract M model(String uid, String runDirectory, SavedRun run);

    /** The spec the parameters set make, with the corpus at {@code corpusPath}. */
    private JobSpec specOf(Map<String, Object> settings, String corpusPath) {
        Map<String, Object> stage = new LinkedHashMap<>(layout());
        stage.put("job.task", task.label());
        stage.put("corpus.source", "parquet");
        stage.put("corpus.path", corpusPath);
        return SpecParams.spec(stage, settings, getClass().getSimpleName() + " " + uid);
    }

    private Map<String, Object> settings() {
        Map<String, Object> set = new LinkedHashMap<>();
        spec.forEach((key, p) -> {
            if (isSet(p)) set.put(key, getOrDefault(p));
        });
        return set;
    }

    /**
     * Checks the spec the parameters make, as a job file's is checked, and the columns; the schema
     * with the model's output columns. A Pipeline calls it before it fits any stage.
     *
     * @throws IllegalArgumentException naming the key, or the column and the types found
     */
    @Override
    public final StructType transformSchema(StructType schema) {
        specOf(settings(), "dataframe");
        return answered(schema);
    }

    /** Checks the columns fitting reads; the schema with the model's output columns. */
    abstract StructType answered(StructType schema);

    /**
     * @throws IllegalStateException if the session lacks the settings training needs
     *                               ({@link SparkContexts#withRecurSettings})
     */
    @Override
    public M fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
        List<String> missing = SparkContexts.missingForTraining(sc.getConf());
        if (!missing.isEmpty())
            throw new IllegalStateException(getClass().getSimpleName() + ".fit: the Spark session lacks " + String.join(" and ", missing)
                    + "; build its SparkConf with io.recur.job.SparkContexts.withRecurSettings(conf)");
        JobSpec checked = specOf(settings(), "dataframe");
        String staged = new Path(checked.output().workDir(), "dataframe-" + uid + "-" + UUID.randomUUID()).toString();
        JobSpec spec = specOf(settings(), staged);
        // Claimed first, as the CLI does: an output that cannot be written fails before the data is copied.
        RunDirectory dir = RunDirectory.create(spec.output().dir(), spec.name(), sc.hadoopConfiguration());
        TrainJob.TrainResult trained;
        try {
            try {
                dataset.select(inputColumns().stream().map(RecurEstimator::quoted).toArray(Column[]::new)).write().parquet(staged);
            } catch (Throwable e) {
                // Throwable: Spark throws its checked SparkException undeclared. Training discards the run itself.
                dir.discard();
                throw e;
            }
            trained = new TrainJob(spec, System.out, false).run(TrainRequest.in(sc, dir));
        } finally {
            delete(staged, sc);
        }
        M model = model(uid, trained.runDirectory(), SavedRun.read(trained.runDirectory(), sc.hadoopConfiguration()));
        copyValues(model, ParamMap.empty());
        return model.setParent(this);
    }

    private static Column quoted(String name) {
        return functions.col("`" + name.replace("`", "``") + "`");
    }

    private static void delete(String path, JavaSparkContext sc) {
        try {
            Path p = new Path(path);
            p.getFileSystem(sc.hadoopConfiguration()).delete(p, true);
        } catch (IOException e) {
            // Scratch space: the run is published, or training failed with its own error, either way the one to report.
            System.err.println("recur: warning: cannot remove the staged table " + path + ": " + e.getMessage());
        }
    }

    @Override
    public RecurEstimator<M> copy(ParamMap extra) {
        return defaultCopy(extra);
    }
}
