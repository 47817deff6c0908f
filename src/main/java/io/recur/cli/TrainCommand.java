package io.recur.cli;

import io.recur.config.JobSpec;
import io.recur.config.JobSpecLoader;
import io.recur.job.TrainJob;
import io.recur.job.TrainRequest;
import io.recur.task.TaskKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Trains the job and publishes <output.dir>/<job.name>/<run id>/ with model, vocabulary, "
                + "resolved spec, metrics.json and training-log.jsonl.")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    JobArguments job;

    @Override
    public Integer call() {
        JobSpec spec = JobSpecLoader.load(job.jobFile, job.overrides);
        var result = new TrainJob(spec, System.out, System.console() != null).run(TrainRequest.startingSpark(job.master));
        System.out.println("run: " + result.runDirectory());
        System.out.println("held-out: " + Summaries.headline(TaskKind.of(spec.task()), result.metrics()));
        return ExitCodes.OK;
    }
}
