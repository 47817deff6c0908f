package io.recur.cli;

import io.recur.config.UserInputException;
import io.recur.export.OnnxExport;
import io.recur.run.SavedRun;
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
    ModelSource source;

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
        String runDir = source.runDir(hadoop);
        Path written = OnnxExport.write(SavedRun.read(runDir, hadoop), runDir, output);
        System.out.println(written);
        return ExitCodes.OK;
    }
}
