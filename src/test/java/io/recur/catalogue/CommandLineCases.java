package io.recur.catalogue;

import java.net.ServerSocket;
import java.util.List;

import static io.recur.catalogue.BadInput.fails;

/** Bad command lines: options, arguments, missing files named on the command line. */
final class CommandLineCases {
    private CommandLineCases() {}

    static List<BadInput> rows() {
        return List.of(
                fails("missing job file", "train", ws -> new String[]{"train", ws.root().resolve("no-such-job.conf").toString()},
                        2, "no-such-job.conf"),
                fails("--set without =", "train", ws -> new String[]{"train", Workspace.SMS_JOB, "--set", "train.epochs"},
                        2, "train.epochs"),
                fails("unknown option", "train", ws -> new String[]{"train", Workspace.SMS_JOB, "--sett", "x=1"},
                        2, "--sett"),
                fails("model directory without a model", "predict",
                        ws -> new String[]{"predict", "--model", ws.file("empty-run/placeholder", "").getParent().toString()},
                        2, "model.zip"),
                fails("--master that is no master URL", "train", ws -> master(ws, "bogus"), 2, "--master"),
                fails("--master local[0]", "train", ws -> master(ws, "local[0]"), 2, "--master"),
                fails("--master local[-1]", "train", ws -> master(ws, "local[-1]"), 2, "--master"),
                fails("--master spark:// without a host", "train", ws -> master(ws, "spark://"), 2, "--master"),
                fails("--master of an unreachable cluster", "train", ws -> {
                    try (ServerSocket free = new ServerSocket(0)) {
                        // Nothing listens on the port once the socket is closed: the master is unreachable.
                        return master(ws, "spark://127.0.0.1:" + free.getLocalPort(), "spark.executor-wait-seconds=3");
                    }
                }, 5, "cannot reach the Spark master spark://127.0.0.1:"));
    }

    /** {@link Workspace#train} with {@code url} as the command line's master. */
    private static String[] master(Workspace ws, String url, String... sets) {
        String[] args = ws.train(sets);
        for (int i = 0; i < args.length - 1; i++) if (args[i].equals("--master")) args[i + 1] = url;
        return args;
    }
}
