package io.recur.build;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks the class path the tests (and {@code scripts/recur}, which uses the same compile and
 * provided jars) actually run with, behind the enforcer rule in pom.xml that checks the declared
 * versions. DL4J 1.0.0-M2 drags in Scala 2.12.14 and slf4j 1.7; either one slipping back breaks
 * Spark at run time rather than at build time.
 */
@DisplayName("Dependency pins on the run-time class path")
class DependencyPinsTest {
    /** The Scala Spark 3.5.9 is built with; change it together with spark.version. */
    private static final String SPARK_SCALA_VERSION = "2.12.18";

    private static List<URL> resources(String name) {
        try {
            return Collections.list(DependencyPinsTest.class.getClassLoader().getResources(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String property(URL propertiesFile, String key) {
        Properties p = new Properties();
        try (InputStream in = propertiesFile.openStream()) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty(key);
    }

    @Nested
    @DisplayName("Scala")
    class Scala {
        // Mixed 2.12 patch versions make closures fail on executors with "too many arguments".
        @Test
        void libraryIsTheVersionSparkIsBuiltWith() {
            assertEquals(SPARK_SCALA_VERSION, scala.util.Properties.versionNumberString(),
                    "scala-library on the class path; pin it with scala.version in pom.xml");
        }

        @Test
        void reflectIsTheVersionSparkIsBuiltWith() {
            List<URL> found = resources("reflect.properties");
            assertEquals(1, found.size(), "scala-reflect copies on the class path: " + found);
            assertEquals(SPARK_SCALA_VERSION, property(found.get(0), "maven.version.number"),
                    "scala-reflect at " + found.get(0));
        }

        @Test
        void libraryIsOnTheClassPathOnce() {
            List<URL> found = resources("scala/util/Properties.class");
            assertEquals(1, found.size(), "scala-library copies on the class path: " + found);
        }
    }

    @Nested
    @DisplayName("slf4j")
    class Slf4j {
        @Test
        void apiIsVersion2() {
            String version = LoggerFactory.class.getPackage().getImplementationVersion();
            assertTrue(version != null && version.startsWith("2.0."),
                    "slf4j-api is " + version + "; Spark's log4j2 binding needs 2.0.x (slf4j.version in pom.xml)");
        }

        // slf4j 1.7 cannot see Spark's log4j2 service provider and falls back to a no-op logger:
        // Spark, DL4J and recur would all go silent.
        @Test
        void bindsToSparksLog4j2Provider() {
            assertEquals("org.apache.logging.slf4j.Log4jLoggerFactory",
                    LoggerFactory.getILoggerFactory().getClass().getName());
        }

        @Test
        void apiIsOnTheClassPathOnce() {
            List<URL> found = resources("org/slf4j/LoggerFactory.class");
            assertEquals(1, found.size(), "slf4j-api copies on the class path: " + found);
        }
    }
}
