package io.recur.config;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The shipped job files stay valid as keys and rules change; their data need not exist to load them. */
@DisplayName("jobs/*.conf")
class JobFilesTest {
    @TestFactory
    Stream<DynamicTest> eachLoadsWithoutOverrides() throws IOException {
        Path jobs = Path.of(System.getProperty("basedir", ""), "jobs");
        List<Path> files;
        try (Stream<Path> listing = Files.list(jobs)) {
            files = listing.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no job files in " + jobs);
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(),
                () -> assertDoesNotThrow(() -> JobSpecLoader.load(file, List.of()))));
    }
}
