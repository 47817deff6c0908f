package io.recur.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The job spec, its overrides and the Spark master: the arguments of every command that trains. */
final class JobArguments {
    @Parameters(index = "0", paramLabel = "JOB.conf", description = "HOCON job spec (see jobs/ and the README)")
    Path jobFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "override a spec key, e.g. --set model.cell=gru (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--master", paramLabel = "URL", converter = MasterUrl.class,
            description = "Spark master; default: the one spark-submit set, else the spec's spark.master (local[*])")
    String master;
}
