package io.recur.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The packages of {@code io.recur} and the only other packages each may use: dependencies run one
 * way, from the command line down to the job spec, so a package can be read knowing only those
 * below it. A new package, or a new arrow, is a decision: add it here.
 */
@DisplayName("package layering")
class PackageLayeringTest {
    private static final Map<String, Set<String>> MAY_USE = Map.ofEntries(
            Map.entry("cli", Set.of("bakeoff", "export", "score", "serve", "job", "report", "registry", "run", "task", "train", "eval",
                    "corpus", "config", "provenance", "storage")),
            // Spark ML stages: train with the train job, answer with score's column scorer.
            Map.entry("spark", Set.of("score", "job", "data", "run", "task", "config", "storage")),
            Map.entry("score", Set.of("job", "registry", "run", "task", "corpus", "vocab", "provenance", "config", "storage")),
            Map.entry("serve", Set.of("job", "registry", "run", "task", "vocab", "provenance", "config", "storage")),
            Map.entry("export", Set.of("job", "run", "task", "model", "vocab", "provenance", "config", "storage")),
            Map.entry("bakeoff", Set.of("job", "data", "report", "run", "task", "train", "eval", "model", "config", "storage")),
            Map.entry("job", Set.of("data", "report", "registry", "run", "task", "baseline", "train", "eval", "encode", "synthetic",
                    "model", "corpus", "vocab", "provenance", "config", "storage")),
            // Training data: read or generated, encoded into minibatches, and the warm-start decision.
            Map.entry("data", Set.of("run", "task", "baseline", "eval", "encode", "synthetic", "model", "corpus", "vocab",
                    "provenance", "config", "storage")),
            Map.entry("report", Set.of("task", "train", "eval", "provenance", "config", "storage")),
            Map.entry("registry", Set.of("run", "task", "eval", "corpus", "provenance", "config", "storage")),
            // Run directories and the typed run record (metrics.json, training log, warm-start lineage).
            Map.entry("run", Set.of("task", "train", "vocab", "provenance", "config", "storage")),
            Map.entry("task", Set.of("baseline", "eval", "encode", "synthetic", "model", "corpus", "vocab", "config", "storage")),
            Map.entry("train", Set.of("config", "storage")),
            Map.entry("baseline", Set.of("eval", "corpus", "vocab", "config", "storage")),
            Map.entry("eval", Set.of("encode", "synthetic", "corpus", "vocab", "config", "storage")),
            Map.entry("encode", Set.of("corpus", "vocab", "config", "storage")),
            Map.entry("synthetic", Set.of("corpus", "config", "storage")),
            Map.entry("model", Set.of("config", "storage")),
            Map.entry("corpus", Set.of("config", "storage")),
            Map.entry("vocab", Set.of("storage")),
            Map.entry("provenance", Set.of("storage")),
            Map.entry("config", Set.of("storage")),
            // Below everything: how files are kept, knowing nothing of what is in them.
            Map.entry("storage", Set.of()));

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.recur");
    }

    @Test
    void everyPackageHasItsPlaceInTheLayering() {
        Set<String> packages = new TreeSet<>();
        for (JavaClass c : classes) {
            String name = c.getPackageName();
            if (name.startsWith("io.recur.")) packages.add(name.substring("io.recur.".length()).split("\\.")[0]);
        }
        assertEquals(new TreeSet<>(MAY_USE.keySet()), packages,
                "a package of io.recur is missing from PackageLayeringTest.MAY_USE, or one listed there no longer exists");
    }

    @TestFactory
    Stream<DynamicTest> eachPackageUsesOnlyThePackagesBelowIt() {
        return MAY_USE.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> DynamicTest.dynamicTest(
                e.getKey() + " uses only " + (e.getValue().isEmpty() ? "no other package" : new TreeSet<>(e.getValue())),
                () -> {
                    String[] forbidden = MAY_USE.keySet().stream()
                            .filter(p -> !p.equals(e.getKey()) && !e.getValue().contains(p))
                            .map(p -> "io.recur." + p + "..").toArray(String[]::new);
                    if (forbidden.length == 0) return;
                    noClasses().that().resideInAPackage("io.recur." + e.getKey() + "..")
                            .should().dependOnClassesThat().resideInAnyPackage(forbidden)
                            .check(classes);
                }));
    }
}
