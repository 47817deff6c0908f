package io.recur.cli;

import io.recur.config.CorpusSpec;
import io.recur.config.JobSpecLoader;
import io.recur.storage.Json;
import io.recur.run.SavedRun;
import io.recur.job.SparkContexts;
import io.recur.score.OutputFormat;
import io.recur.score.ScoreJob;
import io.recur.score.ScoreSource;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Scores every line or row of a corpus on the cluster with a saved run and publishes the predictions "
                + "as a table (parquet, json or csv) with the lines it could not score in _rejects "
                + "(docs/scoring.md); prints a summary as JSON.")
final class ScoreCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1")
    ModelSource source;

    @Option(names = "--input", required = true, paramLabel = "URI",
            description = "what the run's corpus.source reads (or --set corpus.source's): a text file, directory or glob,"
                    + " each line one row; a table's files or directory; a metastore table's name")
    String input;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "how --input is read, as in a job spec:"
            + " corpus.source, corpus.columns.text|tokens|id, corpus.where, corpus.csv.* (default: the run's)")
    List<String> sets = new java.util.ArrayList<>();

    @Option(names = "--output", required = true, paramLabel = "URI", description = "the directory to create")
    String output;

    @Option(names = "--format", paramLabel = "FORMAT", description = "parquet (default), json or csv")
    String format = "parquet";

    @Option(names = "--top-k", paramLabel = "K", description = "classify: labels listed in the topK column (default 1)")
    Integer topK;

    @Option(names = "--overwrite", description = "replace an existing output (atomically too)")
    boolean overwrite;

    @Option(names = "--master", paramLabel = "URL", converter = MasterUrl.class, description = "Spark master (default as for train)")
    String master;

    @Override
    public Integer call() throws Exception {
        OutputFormat written = OutputFormat.of(format);
        Configuration hadoop = new Configuration();
        String runDir = source.runDir(hadoop);
        SavedRun run = SavedRun.read(runDir, hadoop);
        ScoreJob job = new ScoreJob(run, runDir, topK);
        CorpusSpec read = JobSpecLoader.scoringInput(run.spec(), sets);
        ScoreJob.checkOutput(output, overwrite, hadoop);
        try (var sc = SparkContexts.start(run.spec(), master, read.source().metastore())) {
            var report = job.run(sc, ScoreSource.of(input, read), output, written, overwrite);
            System.out.println(Json.text(report));
        }
        return ExitCodes.OK;
    }
}
