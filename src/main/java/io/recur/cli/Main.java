package io.recur.cli;

import io.recur.config.Cell;
import org.apache.spark.SparkUserAppException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** Entry point of {@code scripts/recur} and of the job jar under spark-submit. */
@Command(name = "recur", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Trains recurrent networks on text corpora with Spark parameter averaging.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class, GenerateCommand.class,
                BakeoffCommand.class, RetrainCommand.class, RegistryCommand.class,
                ExportCommand.class, ScoreCommand.class, ServeCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success",
                "1:internal error (a bug; stack trace on stderr)",
                "2:bad command line, job spec or input data",
                "3:training diverged (NaN loss); nothing published",
                "4:file system read or write failed",
                "5:a Spark job failed",
                "6:retrain, registry promote/rollback: the registry's lease is held by another process; nothing changed",
                "7:retrain: the challenger was worse than the champion; kept as a rejected version"})
public final class Main {

    /**
     * Returns on success and ends the JVM with the exit code otherwise, except inside YARN's
     * ApplicationMaster (cluster deploy mode), which runs this method on a thread of its own: there
     * a return is the application's success, and a failure must reach it as a
     * {@link SparkUserAppException}, which it reports as FAILED with this exit code. An exit of
     * any kind there, even {@code System.exit(0)}, ends the JVM before the ApplicationMaster has
     * reported a final status, and YARN counts that as a failed attempt and starts another.
     * Returning relies on every thread recur, Spark, Hadoop and ND4J leave behind being a daemon.
     */
    public static void main(String[] args) throws SparkUserAppException {
        Interruption.install();
        int code = run(args);
        if (code == ExitCodes.OK) return;
        if (insideYarnApplicationMaster()) throw new SparkUserAppException(code);
        System.exit(code);
    }

    /** Spark's ApplicationMaster sets these system properties before it calls a cluster-mode driver's main. */
    private static boolean insideYarnApplicationMaster() {
        return System.getProperty("spark.yarn.app.id") != null
                && "cluster".equals(System.getProperty("spark.submit.deployMode"));
    }

    /** Runs one command line and returns its exit code; only {@link #main} ends the JVM. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        // Annotations take constants only; the cells are named where they are declared.
        cli.getCommandSpec().usageMessage().description("Trains recurrent networks (cells: " + Cell.ids()
                + ") on text corpora with Spark parameter averaging.");
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> report(e, cmd.getErr()));
        cli.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("recur: " + e.getMessage());
            e.getCommandLine().usage(e.getCommandLine().getErr());
            return ExitCodes.BAD_INPUT;
        });
        try {
            return cli.execute(args);
        } catch (Error e) {
            // picocli passes only Exceptions to the handler; Hadoop reports a full disk as an Error (FSError).
            return report(e, cli.getErr());
        }
    }

    private static int report(Throwable e, PrintWriter err) {
        int code = ExitCodes.of(e);
        // The interruption said it all; this is the work it cut short failing (the JVM exits with the signal's code).
        if (Interruption.interrupted()) return code;
        err.println("recur: " + ExitCodes.message(e));
        if (ExitCodes.printsStackTrace(code)) e.printStackTrace(err);
        err.flush();
        return code;
    }
}
