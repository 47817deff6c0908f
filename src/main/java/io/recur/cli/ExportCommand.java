package io.recur.cli;

import io.recur.config.UserInputException;
import io.recur.export.OnnxExport;
import io.recur.job.SavedRun;
import io.recur.registry.Registry;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Writes a run's model as ONNX into a new directory: model.onnx, vocab.json, labels.json, "
                + "tokenizer.json and signature.json (docs/export.md). No Spark.")
final class ExportCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--model", required = true, paramLabel = "RUN_DIR", description = "a published run directory")
        String model;

        @ArgGroup(exclusive = false, multiplicity = "1")
        Champion champion;
    }

    /** The registry's current champion instead of a run directory. */
    static final class Champion {
        @Option(names = "--registry", required = true, paramLabel = "URI", description = "the registry root (registry.dir)")
        String registry;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "the model's name in the registry")
        String name;
    }

    @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "onnx (the only format)")
    String format;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "the directory to create; "
            + "an existing one is never replaced")
    Path output;

    @Override
    public Integer call() {
        if (!"onnx".equals(format))
            throw new UserInputException("--format " + format + ": recur exports only onnx");
        Configuration hadoop = new Configuration();
        String runDir = source.model != null ? source.model : champion(hadoop);
        Path written = OnnxExport.write(SavedRun.read(runDir, hadoop), runDir, output);
        System.out.println(written);
        return ExitCodes.OK;
    }

    private String champion(Configuration hadoop) {
        Registry registry = Registry.open(source.champion.registry, source.champion.name, hadoop);
        String version = registry.champion().orElseThrow(() -> new UserInputException("--registry "
                + source.champion.registry + " --name " + source.champion.name
                + ": the model has no champion; promote a version first (recur registry promote)"));
        return registry.versionDir(version).toString();
    }
}
