package io.recur.catalogue;

import io.recur.job.UntrainedRuns;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.List;

import static io.recur.catalogue.BadInput.fails;

/** serve command lines it refuses before listening: no model, a registry name that is not there, an address it cannot take. */
final class ServeCases {
    private ServeCases() {}

    static List<BadInput> rows() {
        return List.of(
                fails("serve without --model or --registry", "serve", ws -> new String[]{"serve", "--port", "0"},
                        2, "--model=RUN_DIR"),
                fails("serve of a missing run directory", "serve", ws -> new String[]{"serve", "--model",
                        ws.root().resolve("no-run").toString(), "--port", "0"}, 2, "no model.zip there"),
                fails("serve of a nonexistent registry", "serve", ws -> new String[]{"serve", "--registry",
                        ws.root().resolve("no-registry").toString(), "--name", "spam", "--port", "0"}, 2, "does not exist"),
                fails("serve of a model not in the registry", "serve", ws -> {
                    Files.createDirectories(ws.root().resolve("registry/spam"));
                    return new String[]{"serve", "--registry", ws.root().resolve("registry").toString(), "--name", "spma",
                            "--port", "0"};
                }, 2, "models there: spam"),
                fails("serve of a registry model without a champion", "serve", ws -> {
                    Files.createDirectories(ws.root().resolve("registry/spam"));
                    return new String[]{"serve", "--registry", ws.root().resolve("registry").toString(), "--name", "spam",
                            "--port", "0"};
                }, 2, "has no champion"),
                fails("serve of a synthetic run", "serve", ws -> new String[]{"serve", "--model",
                        UntrainedRuns.publish(UntrainedRuns.synthetic("sequence-copy"), ws.root().resolve("given")),
                        "--port", "0"}, 2, "sequence-copy"),
                portInUse(),
                fails("serve on an address of another machine", "serve", ws -> new String[]{"serve", "--model", classifier(ws),
                        // TEST-NET-3 (RFC 5737): never an address of this machine.
                        "--host", "203.0.113.7", "--port", "0"}, 2, "--host 203.0.113.7: cannot listen there"),
                fails("serve on a port out of range", "serve", ws -> new String[]{"serve", "--model", classifier(ws),
                        "--port", "65536"}, 2, "--port 65536"),
                fails("serve with --threads 0", "serve", ws -> new String[]{"serve", "--model", classifier(ws),
                        "--threads", "0", "--port", "0"}, 2, "--threads 0"),
                fails("serve with --max-batch 0", "serve", ws -> new String[]{"serve", "--model", classifier(ws),
                        "--max-batch", "0", "--port", "0"}, 2, "--max-batch 0"),
                fails("serve with --poll-seconds 0", "serve", ws -> new String[]{"serve", "--model", classifier(ws),
                        "--poll-seconds", "0", "--port", "0"}, 2, "--poll-seconds 0"));
    }

    /** Another listener holds the port while serve starts, and is closed once serve has answered. */
    private static BadInput portInUse() {
        ServerSocket[] taken = new ServerSocket[1];
        return fails("serve on a port in use", "serve", ws -> {
            taken[0] = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
            return new String[]{"serve", "--model", classifier(ws), "--port", Integer.toString(taken[0].getLocalPort())};
        }, 2, "Address already in use").leaving((ws, outcome) -> taken[0].close());
    }

    private static String classifier(Workspace ws) {
        return UntrainedRuns.publish(UntrainedRuns.classifier(List.of("free", "prize", "call")), ws.root().resolve("given"));
    }
}
