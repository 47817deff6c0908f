package io.recur.cli;

import io.recur.config.EnumNames;
import io.recur.corpus.Split;
import io.recur.job.EvaluateJob;
import io.recur.run.SavedRun;
import io.recur.job.SparkContexts;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Held-out metrics of a saved run on a corpus in the run's format, with the training "
                + "report's baseline, as JSON on stdout.")
final class EvaluateCommand implements Callable<Integer> {
    enum SplitChoice { all, train, validation, test }

    @Option(names = "--model", required = true, paramLabel = "RUN_DIR", description = "a published run directory")
    String model;

    @Option(names = "--input", required = true, paramLabel = "URI", description = "corpus file, directory or glob on any Hadoop file system, read as the run's corpus.source;"
            + " a metastore table's name for a run trained on one")
    String input;

    @Option(names = "--split", paramLabel = "SPLIT", description = "all (default), train, validation or test: "
            + "the same hash split as training, so --split test on the training corpus reproduces metrics.json")
    SplitChoice split = SplitChoice.all;

    @Option(names = "--master", paramLabel = "URL", converter = MasterUrl.class, description = "Spark master (default as for train)")
    String master;

    @Override
    public Integer call() throws Exception {
        SavedRun run = SavedRun.read(model, new Configuration());
        try (var sc = SparkContexts.start(run.spec(), master)) {
            Split only = split == SplitChoice.all ? null : EnumNames.parse(Split.class, split.name()).orElseThrow();
            var result = new EvaluateJob(run).run(sc, input, only);
            System.out.println(io.recur.storage.Json.text(result));
        }
        return ExitCodes.OK;
    }
}
