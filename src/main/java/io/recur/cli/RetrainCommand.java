package io.recur.cli;

import io.recur.config.JobSpec;
import io.recur.config.JobSpecLoader;
import io.recur.job.RetrainJob;
import io.recur.storage.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "retrain", mixinStandardHelpOptions = true,
        description = {"One round of scheduled retraining into the model registry (registry.* keys): takes the lease, "
                + "does nothing if the corpus is unchanged since the champion, else trains (warm-started from the "
                + "champion, resuming the checkpoints of a run that died), compares challenger and champion on the "
                + "current test split and promotes or rejects the new version.",
                "stdout: one summary line; training progress and logs go to stderr. The result is written to "
                        + "<registry.dir>/<model>/result.json (and --result). Exit codes: 0 promoted or unchanged, "
                        + "3 training diverged (recorded as a failed version), 6 lease held (nothing done), "
                        + "7 challenger rejected; 1, 2, 4, 5 as for train."})
final class RetrainCommand implements Callable<Integer> {
    @Mixin
    JobArguments job;

    @Option(names = "--result", paramLabel = "FILE", description = "also write the result JSON to this local file, "
            + "for every outcome including a held lease and errors")
    Path resultFile;

    @Option(names = "--force", description = "train even if the corpus is unchanged since the champion")
    boolean force;

    @Override
    public Integer call() throws IOException {
        RetrainJob.RetrainResult r;
        try {
            JobSpec spec = JobSpecLoader.load(job.jobFile, job.overrides);
            r = new RetrainJob(spec, System.err, force).run(job.master);
        } catch (Exception e) {
            // Exception, not RuntimeException: Spark throws its checked SparkException undeclared.
            if (resultFile != null) {
                Map<String, Object> error = new LinkedHashMap<>();
                error.put("status", "error");
                error.put("exitCode", ExitCodes.of(e));
                error.put("reason", ExitCodes.message(e));
                write(error);
            }
            throw e;
        }
        int code = switch (r.status()) {
            case PROMOTED, UNCHANGED -> ExitCodes.OK;
            case REJECTED -> ExitCodes.REJECTED;
            case FAILED -> ExitCodes.DIVERGED;
            case LEASE_HELD -> ExitCodes.LEASE_HELD;
        };
        if (resultFile != null) {
            Map<String, Object> result = new LinkedHashMap<>(r.result());
            result.put("exitCode", code);
            write(result);
        }
        System.out.println(r.line());
        return code;
    }

    private void write(Map<String, Object> result) throws IOException {
        Path parent = resultFile.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.writeString(resultFile, Json.text(result) + "\n", StandardCharsets.UTF_8);
    }
}
