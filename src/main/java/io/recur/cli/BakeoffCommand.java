package io.recur.cli;

import io.recur.bakeoff.Bakeoff;
import io.recur.config.BakeoffSpec;
import io.recur.config.JobSpecLoader;
import io.recur.report.BakeoffComparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "bakeoff", mixinStandardHelpOptions = true,
        description = "Trains the job once per cell, per value of a swept key and per seed, the cells of one seed on "
                + "the same data, in one Spark context, with parameter-matched hidden sizes, and publishes <output.dir>/<job.name>/bakeoff-<id>/ "
                + "with every member's run directory, comparison.json, report.html and report.md.")
final class BakeoffCommand implements Callable<Integer> {
    @Mixin
    JobArguments job;

    @Option(names = "--cells", paramLabel = "CELLS", completionCandidates = CellNames.class,
            description = "cells to compare, a comma-separated list of ${COMPLETION-CANDIDATES} (default: bakeoff.cells)")
    String cells;

    @Option(names = "--sweep", paramLabel = "KEY=V1,V2,...", description = "a job key and its values, e.g. "
            + "synthetic.steps=10,50,100 (default: bakeoff.sweep)")
    String sweep;

    @Option(names = "--seeds", paramLabel = "N", description = "seeds each member runs with: job.seed, job.seed + 1, ..."
            + " (default: bakeoff.seeds, 3); the reports give the mean and a 95%% t-interval over them")
    Integer seeds;

    @Override
    public Integer call() {
        BakeoffSpec spec = JobSpecLoader.loadBakeoff(job.jobFile, job.overrides);
        if (cells != null) spec = spec.withCells(BakeoffSpec.parseCells(cells));
        if (sweep != null) spec = spec.withSweep(BakeoffSpec.parseSweep(sweep));
        if (seeds != null) spec = spec.withSeeds(seeds);
        Bakeoff.Result result = new Bakeoff(job.jobFile, job.overrides, spec, System.out).run(job.master);
        BakeoffComparison comparison = result.comparison();
        System.out.println();
        System.out.print(Bakeoff.table(comparison));
        int members = comparison.members().size();
        int seedCount = comparison.seeds().size();
        System.out.printf(Locale.ROOT, "bake-off: %d members x %d seed%s = %d runs in %.0f s%n", members, seedCount,
                seedCount == 1 ? "" : "s", members * seedCount, comparison.seconds());
        System.out.println("bake-off: " + result.directory());
        return ExitCodes.OK;
    }
}
