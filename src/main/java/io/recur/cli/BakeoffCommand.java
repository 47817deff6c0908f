package io.recur.cli;

import io.recur.bakeoff.Bakeoff;
import io.recur.config.BakeoffSpec;
import io.recur.config.JobSpecLoader;
import io.recur.report.BakeoffComparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "bakeoff", mixinStandardHelpOptions = true,
        description = "Trains the job once per cell (and per value of a swept key) on the same data in one Spark "
                + "context, with parameter-matched hidden sizes, and publishes <output.dir>/<job.name>/bakeoff-<id>/ "
                + "with every member's run directory, comparison.json, report.html and report.md.")
final class BakeoffCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "JOB.conf", description = "HOCON job spec; its bakeoff section gives the defaults")
    Path jobFile;

    @Option(names = "--cells", paramLabel = "CELLS", description = "cells to compare, e.g. rnn,lstm,gru (default: bakeoff.cells)")
    String cells;

    @Option(names = "--sweep", paramLabel = "KEY=V1,V2,...", description = "a job key and its values, e.g. "
            + "synthetic.steps=10,50,100 (default: bakeoff.sweep)")
    String sweep;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a spec key for every member (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--master", paramLabel = "URL", description = "Spark master; default: the one spark-submit set, else the spec's spark.master (local[*])")
    String master;

    @Override
    public Integer call() {
        BakeoffSpec spec = JobSpecLoader.loadBakeoff(jobFile, overrides);
        if (cells != null) spec = spec.withCells(BakeoffSpec.parseCells(cells));
        if (sweep != null) spec = spec.withSweep(BakeoffSpec.parseSweep(sweep));
        Bakeoff.Result result = new Bakeoff(jobFile, overrides, spec, System.out).run(master);
        BakeoffComparison comparison = result.comparison();
        System.out.println();
        System.out.print(Bakeoff.table(comparison));
        System.out.printf(java.util.Locale.ROOT, "bake-off: %d members in %.0f s%n", comparison.members().size(),
                comparison.seconds());
        System.out.println("bake-off: " + result.directory());
        return ExitCodes.OK;
    }
}
