package io.recur.catalogue;

import java.util.List;

import static io.recur.catalogue.BadInput.fails;

/** Bad job specs: unknown, misspelled, mistyped and out-of-range keys, invalid HOCON, cross-key rules. */
final class SpecCases {
    private SpecCases() {}

    static List<BadInput> rows() {
        return List.of(
                fails("misspelled key", "train", ws -> ws.train("model.hiden-size=32"), 2, "model.hiden-size"),
                fails("mistyped value", "train", ws -> ws.train("model.hidden-size=many"), 2, "model.hidden-size"),
                fails("out-of-range value", "train", ws -> ws.train("train.epochs=0"), 2, "train.epochs"),
                fails("unknown enum value", "train", ws -> ws.train("model.cell=lsmt"), 2, "model.cell"),
                fails("invalid HOCON", "train", ws -> new String[]{"train",
                        ws.file("broken.conf", "job { name = broken\ncorpus { path = \"x\" }\n").toString()}, 2, "broken.conf"),
                fails("spark.master that is no master URL", "train", ws -> {
                    String[] args = ws.train("spark.master=bogus");
                    // Without --master the spec's spark.master is the one used.
                    return java.util.stream.Stream.of(args).filter(a -> !a.equals("--master") && !a.equals("local[1]"))
                            .toArray(String[]::new);
                }, 2, "spark.master = \"bogus\""),
                fails("unknown section set with --set", "train", ws -> ws.train("foo.bar=1"), 2,
                        "--set foo.bar=1: unknown key foo.bar (= 1)"),
                fails("spark.executor-wait-seconds of 0", "train", ws -> ws.train("spark.executor-wait-seconds=0"), 2,
                        "spark.executor-wait-seconds"),
                // The later --set output.dir wins over the workspace's own.
                fails("output.dir that is a file", "train", ws -> ws.train("output.dir=" + ws.file("runs-file", "not a directory")),
                        2, "output.dir: cannot write under "),
                fails("corpus.text-field without a field separator", "train",
                        ws -> ws.trainJob(Workspace.MOBY_JOB, "corpus.text-field=2"), 2,
                        "corpus.text-field = 2 needs a corpus.field-separator"),
                fails("corpus.join-lines on a labeled corpus", "train", ws -> ws.train("corpus.join-lines=true"), 2,
                        "corpus.join-lines applies only to corpus.format = text"),
                fails("divergence", "train", ws -> ws.train("model.learning-rate=1e38"), 3, "model.learning-rate"));
    }
}
