package io.recur.cli;

import io.recur.job.GenerateJob;
import io.recur.job.SamplingSpec;
import io.recur.run.SavedRun;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Samples text from a language model run (job.task = lm), continuing --prompt; prints "
                + "prompt and continuation on one line. Deterministic for a given --seed. No Spark.")
final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "RUN_DIR", description = "a published lm run directory")
    String model;

    @Option(names = "--prompt", paramLabel = "TEXT", description = "text to continue; empty (default) starts a new line")
    String prompt = "";

    @Option(names = "--length", paramLabel = "N", description = "tokens to generate at most; stops earlier at <eos> "
            + "(default 200 for char models, 40 for word models)")
    Integer length;

    @Option(names = "--temperature", paramLabel = "T", description = "0 = always the most likely token, 1 = the "
            + "model's distribution (default ${DEFAULT-VALUE}), higher = more random")
    double temperature = 1.0;

    @Option(names = "--top-k", paramLabel = "K", description = "sample among the K most likely tokens only; "
            + "0 = no limit (default), 1 = greedy")
    int topK = 0;

    @Option(names = "--seed", paramLabel = "S", description = "random seed (default ${DEFAULT-VALUE}); the same "
            + "seed gives the same text")
    long seed = 1;

    @Override
    public Integer call() {
        GenerateJob job = new GenerateJob(SavedRun.read(model, new Configuration()));
        var spec = new SamplingSpec(length == null ? job.defaultLength() : length, temperature, topK, seed);
        System.out.println(job.generate(prompt, spec).text());
        return ExitCodes.OK;
    }
}
