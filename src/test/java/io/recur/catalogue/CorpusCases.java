package io.recur.catalogue;

import java.nio.file.Files;
import java.util.List;

import static io.recur.catalogue.BadInput.fails;

/** Bad corpora: missing, empty, undecodable, malformed lines, wrong labels. */
final class CorpusCases {
    private CorpusCases() {}

    static List<BadInput> rows() {
        return List.of(
                fails("missing corpus path", "train", ws -> ws.train("corpus.path=" + ws.root().resolve("no-such.tsv")),
                        2, "no-such.tsv"),
                fails("empty corpus file", "train", ws -> ws.train("corpus.path=" + ws.file("empty.tsv", "")), 2, "empty.tsv"),
                fails("empty corpus directory", "train", ws -> {
                    Files.createDirectories(ws.root().resolve("empty-dir"));
                    return ws.train("corpus.path=" + ws.root().resolve("empty-dir"));
                }, 2, "empty-dir"),
                fails("glob matching nothing", "train", ws -> ws.train("corpus.path=" + ws.root().resolve("nothing-*.tsv")),
                        2, "nothing-*.tsv"),
                fails("malformed lines above max-bad-fraction", "train",
                        ws -> ws.train("corpus.path=" + ws.copy("src/test/resources/corpus/bad/labeled-bad.tsv", "bad.tsv")),
                        2, "corpus.max-bad-fraction"));
    }
}
