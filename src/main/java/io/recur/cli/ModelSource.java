package io.recur.cli;

import io.recur.config.UserInputException;
import io.recur.registry.Registry;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** {@code --model RUN_DIR}, or {@code --registry URI --name NAME} for the registry's champion: the run a command reads. */
final class ModelSource {
    @Option(names = "--model", required = true, paramLabel = "RUN_DIR", description = "a published run directory")
    String model;

    @ArgGroup(exclusive = false, multiplicity = "1")
    Champion champion;

    /** The registry's current champion instead of a run directory. */
    static final class Champion {
        @Option(names = "--registry", required = true, paramLabel = "URI", description = "the registry root (registry.dir)")
        String registry;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "the model's name in the registry")
        String name;
    }

    /** The run directory given, or the champion's version directory. */
    String runDir(Configuration hadoop) {
        if (model != null) return model;
        // A misspelt --name or --registry is named as such, with the models there, rather than as a model without a champion.
        Registry registry = Registry.openExisting(champion.registry, champion.name, hadoop);
        String version = registry.champion().orElseThrow(() -> new UserInputException("--registry "
                + champion.registry + " --name " + champion.name
                + ": the model has no champion; promote a version first (recur registry promote)"));
        return registry.versionDir(version).toString();
    }
}
