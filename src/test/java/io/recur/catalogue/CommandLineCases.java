package io.recur.catalogue;

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
                        2, "model.zip"));
    }
}
