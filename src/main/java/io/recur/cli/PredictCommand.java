package io.recur.cli;

import io.recur.job.PredictInput;
import io.recur.job.PredictJob;
import io.recur.run.SavedRun;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedInputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Reads lines of raw text on stdin; prints one line for each: 'label<TAB>probability' (classify), "
                + "the most likely next tokens 'token:probability' (lm), or 'token/TAG' for each token (tag); "
                + "'" + PredictJob.NOT_UTF8 + "' or '" + PredictJob.NO_TOKENS + "' for a line it cannot answer. No Spark.")
final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "RUN_DIR", description = "a published run directory")
    String model;

    @Option(names = "--top-k", paramLabel = "K", description = "labels (classify, default 1) or next tokens "
            + "(lm, default 5) to list, most likely first")
    Integer topK;

    @Override
    public Integer call() throws Exception {
        PredictJob job = new PredictJob(SavedRun.read(model, new Configuration()), topK);
        PredictInput in = new PredictInput(new BufferedInputStream(System.in));
        // UTF-8 whatever the platform's encoding, as the input is read; flushed per line for interactive use.
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        for (PredictInput.Line line = in.next(); line != null; line = in.next()) out.println(job.predict(line));
        out.flush();
        return ExitCodes.OK;
    }
}
