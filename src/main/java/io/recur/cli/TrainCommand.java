package io.recur.cli;

import io.recur.config.JobSpec;
import io.recur.config.JobSpecLoader;
import io.recur.job.TrainJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Trains the job and publishes <output.dir>/<job.name>/<run id>/ with model, vocabulary, "
                + "resolved spec, metrics.json and training-log.jsonl.")
final class TrainCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "JOB.conf", description = "HOCON job spec (see jobs/ and the README)")
    Path jobFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a spec key, e.g. --set model.cell=gru (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--master", paramLabel = "URL", description = "Spark master; default: the one spark-submit set, else the spec's spark.master (local[*])")
    String master;

    @Override
    public Integer call() {
        JobSpec spec = JobSpecLoader.load(jobFile, overrides);
        var result = new TrainJob(spec, System.out, System.console() != null).run(master);
        System.out.println("run: " + result.runDirectory());
        System.out.println("held-out: " + Summaries.headline(result.metrics()));
        return ExitCodes.OK;
    }
}
