package io.recur.config;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** README.md's "Job spec reference" table is the documentation contract for recur-reference.conf. */
@DisplayName("README job spec reference")
class ReferenceDocumentationTest {
    private static final Pattern ROW_KEY = Pattern.compile("^\\|\\s*`([^`]+)`\\s*\\|", Pattern.MULTILINE);

    @Test
    void hasARowForEveryKeyOfTheReferenceFileAndNoOther() throws IOException {
        // Surefire runs in the project directory and sets basedir; README.md sits next to pom.xml.
        Path readme = Path.of(System.getProperty("basedir", ""), "README.md");
        String text = Files.readString(readme);
        int start = text.indexOf("## Job spec reference");
        assertTrue(start >= 0, "README.md has no '## Job spec reference' section");
        int end = text.indexOf("\n## ", start + 1);
        String section = end < 0 ? text.substring(start) : text.substring(start, end);
        Matcher m = ROW_KEY.matcher(section);
        Set<String> documented = m.results().map(r -> r.group(1)).collect(Collectors.toSet());
        Set<String> known = Set.copyOf(JobSpecLoader.knownKeys());
        assertAll(
                () -> assertEquals(Set.of(), without(known, documented), "keys of recur-reference.conf missing from README"),
                () -> assertEquals(Set.of(), without(documented, known), "README rows for keys recur-reference.conf lacks"));
    }

    private static Set<String> without(Set<String> all, Set<String> removed) {
        return all.stream().filter(k -> !removed.contains(k)).collect(Collectors.toCollection(TreeSet::new));
    }
}
