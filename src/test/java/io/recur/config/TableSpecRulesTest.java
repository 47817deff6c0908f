package io.recur.config;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("the job spec's rules for table corpora")
class TableSpecRulesTest {
    private static final Path SMS_JOB = Path.of("src/test/resources/jobs/sms-slice.conf");

    private static JobSpec load(String... sets) {
        return JobSpecLoader.load(SMS_JOB, List.of(sets));
    }

    private static String rejected(String... sets) {
        return assertThrows(SpecException.class, () -> load(sets)).getMessage();
    }

    private static String[] parquet(String... more) {
        List<String> sets = new ArrayList<>(List.of("corpus.source=parquet", "corpus.columns.text=message"));
        sets.addAll(List.of(more));
        return sets.toArray(String[]::new);
    }

    @Test
    void readsTheColumnsFilterAndCsvOptions() {
        CorpusSpec corpus = load("corpus.source=csv", "corpus.columns.text=message", "corpus.columns.label=label",
                "corpus.columns.id=id", "corpus.where=\"dt >= '2026-11-01'\"", "corpus.csv.delimiter=\"\\t\"",
                "corpus.csv.header=false").corpus();
        assertEquals(SourceFormat.CSV, corpus.source());
        assertEquals(new TableSpec("message", "", "label", "", "id", "dt >= '2026-11-01'",
                new TableSpec.Csv(false, "\t", "\"", "\\", false)), corpus.table());
    }

    @Test
    void readsAMetastoreTableByNameWithoutAPath() {
        CorpusSpec corpus = load("corpus.source=table", "corpus.path=null", "corpus.table=corpora.sms",
                "corpus.columns.text=message", "corpus.columns.label=label").corpus();
        assertEquals(SourceFormat.TABLE, corpus.source());
        assertEquals("corpora.sms", corpus.table().name());
        assertEquals(List.of(), corpus.paths());
        assertEquals(List.of("corpora.sms"), corpus.inputs());
    }

    @Test
    void rejectsAMetastoreTableWithoutAName() {
        String m = rejected("corpus.source=table", "corpus.path=null", "corpus.columns.text=message", "corpus.columns.label=label");
        assertTrue(m.contains("corpus.source = table reads a metastore table by name; set corpus.table"), m);
    }

    @Test
    void rejectsAMetastoreTableWithAPath() {
        String m = rejected("corpus.source=table", "corpus.table=corpora.sms", "corpus.columns.text=message",
                "corpus.columns.label=label");
        assertTrue(m.contains("corpus.path is set, but corpus.source = table reads the files the metastore lists"), m);
    }

    @Test
    void rejectsATableNameForFiles() {
        String m = rejected(parquet("corpus.columns.label=label", "corpus.table=corpora.sms"));
        assertTrue(m.contains("corpus.table applies only to corpus.source = table, but corpus.source = parquet"), m);
    }

    @Test
    void rejectsAColumnForATextFileCorpus() {
        String m = rejected("corpus.columns.text=message");
        assertTrue(m.contains("corpus.columns.text applies only to a table, but corpus.source = text"), m);
    }

    @Test
    void rejectsAFilterForATextFileCorpus() {
        String m = rejected("corpus.where=\"id > 3\"");
        assertTrue(m.contains("corpus.where applies only to a table"), m);
    }

    @Test
    void rejectsBothATextAndATokensColumn() {
        String m = rejected(parquet("corpus.columns.label=label", "corpus.columns.tokens=words"));
        assertTrue(m.contains("needs exactly one of corpus.columns.text") && m.contains("both are set"), m);
    }

    @Test
    void rejectsALabeledTableWithoutALabelColumn() {
        String m = rejected(parquet());
        assertTrue(m.contains("corpus.format = labeled reads the class from a column; set corpus.columns.label"), m);
    }

    @Test
    void rejectsALabelColumnForALanguageModel() {
        String m = rejected(parquet("job.task=lm", "corpus.format=text", "corpus.columns.label=label"));
        assertTrue(m.contains("corpus.columns.label needs corpus.format = labeled"), m);
    }

    @Test
    void rejectsATaggedTableWithoutItsTagsColumn() {
        String m = rejected("job.task=tag", "corpus.format=tagged", "corpus.source=parquet", "corpus.columns.tokens=words");
        assertTrue(m.contains("set corpus.columns.tokens and corpus.columns.tags"), m);
    }

    @Test
    void rejectsJoinedLinesForATable() {
        String m = rejected(parquet("job.task=lm", "corpus.format=text", "corpus.join-lines=true"));
        assertTrue(m.contains("corpus.join-lines applies only to corpus.source = text"), m);
    }

    @Test
    void rejectsACsvDelimiterOfMoreThanOneCharacter() {
        String m = rejected(parquet("corpus.columns.label=label", "corpus.csv.delimiter=\"::\""));
        assertTrue(m.contains("corpus.csv.delimiter") && m.contains("expected one character"), m);
    }
}
