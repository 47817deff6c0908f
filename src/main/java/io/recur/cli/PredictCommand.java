package io.recur.cli;

import io.recur.job.PredictJob;
import io.recur.job.SavedRun;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Reads lines of raw text on stdin; prints for each 'label<TAB>probability' (classify) "
                + "or the most likely next tokens 'token:probability' (lm), or 'token/TAG' for each token (tag). No Spark.")
final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "RUN_DIR", description = "a published run directory")
    String model;

    @Option(names = "--top-k", paramLabel = "K", description = "next tokens to list for a language model (default ${DEFAULT-VALUE})")
    int topK = 5;

    @Override
    public Integer call() throws Exception {
        PredictJob job = new PredictJob(SavedRun.read(model, new Configuration()), topK);
        var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) System.out.println(job.predict(line));
        return ExitCodes.OK;
    }
}
