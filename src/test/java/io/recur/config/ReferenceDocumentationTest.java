package io.recur.config;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/job-spec.md's table is the documentation contract for recur-reference.conf. */
@DisplayName("docs/job-spec.md")
class ReferenceDocumentationTest {
    private static final Pattern ROW_KEY = Pattern.compile("^\\|\\s*`([^`]+)`\\s*\\|", Pattern.MULTILINE);

    @Test
    void hasARowForEveryKeyOfTheReferenceFileAndNoOther() throws IOException {
        // Surefire runs in the project directory and sets basedir; docs/ sits next to pom.xml.
        Path page = Path.of(System.getProperty("basedir", ""), "docs", "job-spec.md");
        assertTrue(Files.exists(page), page + " is missing");
        Matcher m = ROW_KEY.matcher(Files.readString(page));
        Set<String> documented = m.results().map(r -> r.group(1)).collect(Collectors.toSet());
        Set<String> known = Set.copyOf(JobSpecLoader.knownKeys());
        assertAll(
                () -> assertEquals(Set.of(), without(known, documented), "keys of recur-reference.conf missing from docs/job-spec.md"),
                () -> assertEquals(Set.of(), without(documented, known), "docs/job-spec.md rows for keys recur-reference.conf lacks"));
    }

    @Test
    void namesEveryTaskInTheJobTaskRow() throws IOException {
        Path page = Path.of(System.getProperty("basedir", ""), "docs", "job-spec.md");
        String row = Files.readString(page).lines().filter(l -> l.startsWith("| `job.task` |")).findFirst().orElse("");
        Set<String> missing = new TreeSet<>();
        for (Task task : Task.values()) if (!row.contains("`" + task.label() + "`")) missing.add(task.label());
        assertEquals(Set.of(), missing, "tasks the job.task row of docs/job-spec.md does not name");
    }

    @Test
    void namesEveryCellInTheModelCellRow() throws IOException {
        Path page = Path.of(System.getProperty("basedir", ""), "docs", "job-spec.md");
        String row = Files.readString(page).lines().filter(l -> l.startsWith("| `model.cell` |")).findFirst().orElse("");
        Set<String> missing = new TreeSet<>();
        for (Cell cell : Cell.values()) if (!row.contains("`" + cell.id() + "`")) missing.add(cell.id());
        assertEquals(Set.of(), missing, "cells the model.cell row of docs/job-spec.md does not name");
    }

    @Test
    void listsEveryCellWhereTheReferenceFileListsCells() throws IOException {
        Path conf = Path.of(System.getProperty("basedir", ""), "src", "main", "resources", "recur-reference.conf");
        String all = Arrays.stream(Cell.values()).map(Cell::id).collect(Collectors.joining(" | "));
        List<String> lists = Files.readString(conf).lines().filter(l -> l.contains("rnn | ")).toList();
        assertEquals(2, lists.size(), "the comments of model.cell and bakeoff.cells list the cells");
        for (String line : lists) assertTrue(line.contains("(" + all) || line.contains("of " + all), line);
    }

    private static Set<String> without(Set<String> all, Set<String> removed) {
        return all.stream().filter(k -> !removed.contains(k)).collect(Collectors.toCollection(TreeSet::new));
    }
}
