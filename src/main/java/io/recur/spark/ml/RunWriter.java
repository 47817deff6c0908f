package io.recur.spark.ml;

import io.recur.storage.StagedDirectory;
import io.recur.storage.Storage;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLWriter;
import scala.Option;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Saves a model as its run directory: the run's files copied, and Spark ML's {@code metadata/}
 * (the class, uid and column parameters) written beside them, which a {@code Pipeline} needs to
 * load the stage and which the run's manifest does not list, so its checks ignore it. The copy is
 * staged under a hidden name and renamed into place: a reader sees the whole model or none.
 */
final class RunWriter extends MLWriter {
    static final String METADATA = "metadata";
    private final RecurModel<?> model;

    RunWriter(RecurModel<?> model) {
        this.model = model;
    }

    @Override
    public void saveImpl(String path) {
        SparkContext sc = sparkSession().sparkContext();
        Configuration hadoop = sc.hadoopConfiguration();
        try {
            Path target = new Path(path);
            FileSystem fs = Storage.fileSystem(target, hadoop);
            StagedDirectory staged = StagedDirectory.create(fs, fs.makeQualified(target));
            try {
                Path source = new Path(model.runDirectory());
                FileSystem from = source.getFileSystem(hadoop);
                for (FileStatus file : from.listStatus(source)) {
                    // A model loaded from a saved copy brings the copy's metadata, which is written anew.
                    if (file.getPath().getName().equals(METADATA)) continue;
                    FileUtil.copy(from, file.getPath(), fs, new Path(staged.path(), file.getPath().getName()), false, hadoop);
                }
                DefaultParamsWriter.saveMetadata(model, staged.path().toString(), sc, Option.empty(), Option.empty());
                staged.publish();
            } catch (IOException | RuntimeException e) {
                staged.discard();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the model of " + model.runDirectory() + " to " + path + ": "
                    + e.getMessage(), e);
        }
    }
}
