package io.recur.spark.ml;

import io.recur.run.SavedRun;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import scala.Option;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Loads a model from a run directory: one that {@link RunWriter} saved, with its parameters from
 * Spark ML's {@code metadata/}, or one that {@code recur train} published, with its input column
 * named as its table's was. The run is read and checked by {@link SavedRun#read}.
 */
final class RunReader<M extends RecurModel<M>> extends MLReader<M> {
    /** How a model type is made from its uid and run. */
    interface Factory<M> {
        M create(String uid, String runDirectory, SavedRun run);
    }

    private final Class<M> type;
    private final String uidPrefix;
    private final Factory<M> factory;

    RunReader(Class<M> type, String uidPrefix, Factory<M> factory) {
        this.type = type;
        this.uidPrefix = uidPrefix;
        this.factory = factory;
    }

    @Override
    public M load(String path) {
        SparkContext sc = sparkSession().sparkContext();
        SavedRun run = SavedRun.read(path, sc.hadoopConfiguration());
        Path metadata = new Path(path, RunWriter.METADATA);
        boolean saved;
        try {
            saved = metadata.getFileSystem(sc.hadoopConfiguration()).exists(metadata);
        } catch (IOException e) {
            throw new UncheckedIOException(metadata + ": cannot read it (" + e.getMessage() + ")", e);
        }
        if (!saved) {
            M model = factory.create(Identifiable.randomUID(uidPrefix), path, run);
            model.readColumnsOfTheRun();
            return model;
        }
        DefaultParamsReader.Metadata m = DefaultParamsReader.loadMetadata(path, sc, type.getName());
        M model = factory.create(m.uid(), path, run);
        m.getAndSetParams(model, Option.empty());
        return model;
    }
}
