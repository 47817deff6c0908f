package io.recur.catalogue;

import java.util.ArrayList;
import java.util.List;

import static io.recur.catalogue.BadInput.fails;

/** Bad table corpora ({@code corpus.source} other than text): each answered before training starts. */
final class TableCases {
    /** A JSON-lines table of three messages: a label column, a text column and a numeric id. */
    private static final String MESSAGES = """
            {"id": 1, "label": "ham", "body": "see you at noon"}
            {"id": 2, "label": "spam", "body": "win a prize now"}
            {"id": 3, "label": "ham", "body": "call me later"}
            """;

    private TableCases() {}

    static List<BadInput> rows() {
        return List.of(
                fails("table column missing", "train", ws -> json(ws, "corpus.columns.text=message"), 2,
                        "corpus.columns.text = \"message\": the table has no such column; its columns: body string, id bigint,"
                                + " label string"),
                fails("table column of the wrong type", "train",
                        ws -> json(ws, "corpus.columns.text=body", "corpus.columns.label=id"), 2,
                        "corpus.columns.label = \"id\": column id is bigint, expected string"),
                fails("table filter that does not parse", "train",
                        ws -> json(ws, "corpus.columns.text=body", "corpus.where=\"id >= (\""), 2,
                        "corpus.where = \"id >= (\": does not parse as a Spark SQL expression"),
                fails("table filter naming an unknown column", "train",
                        ws -> json(ws, "corpus.columns.text=body", "corpus.where=\"day = 3\""), 2,
                        "corpus.where = \"day = 3\": "),
                fails("text file read as a Parquet table", "train", ws -> ws.train("corpus.source=parquet",
                        "corpus.columns.label=label", "corpus.columns.text=text"), 2,
                        "corpus.path: cannot read "),
                fails("table without a text or tokens column", "train", ws -> json(ws), 2,
                        "corpus.source = json needs exactly one of corpus.columns.text"),
                // No metastore is configured here: recur's own is empty and in memory, and names what to configure.
                fails("unknown metastore table", "train", ws -> ws.train("corpus.source=table", "corpus.path=null",
                                "corpus.table=corpora.missing", "corpus.columns.label=label", "corpus.columns.text=message"), 2,
                        "corpus.table = \"corpora.missing\": the metastore has no table corpora.missing"),
                fails("metastore table with a path", "train", ws -> ws.train("corpus.source=table",
                                "corpus.table=corpora.sms", "corpus.columns.label=label", "corpus.columns.text=message"), 2,
                        "corpus.path is set, but corpus.source = table reads the files the metastore lists"));
    }

    private static String[] json(Workspace ws, String... columns) throws Exception {
        List<String> sets = new ArrayList<>(List.of("corpus.source=json",
                "corpus.path=" + ws.file("messages.json", MESSAGES), "corpus.columns.label=label"));
        for (String c : columns) if (!c.startsWith("corpus.columns.label")) sets.add(c);
        for (String c : columns) if (c.startsWith("corpus.columns.label")) sets.set(2, c);
        return ws.train(sets.toArray(String[]::new));
    }
}
