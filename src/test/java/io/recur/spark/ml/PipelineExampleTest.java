package io.recur.spark.ml;

import io.recur.run.SavedRun;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * examples/'s application compiles against recur and Spark alone (the test class path, as a user's
 * build would have them) and runs: its Pipeline fits, saves, loads and evaluates on the SMS slice.
 */
@Tag("spark")
@DisplayName("examples/ PipelineExample")
class PipelineExampleTest {
    private static final Path SOURCE = Path.of("examples/src/main/java/io/recur/examples/PipelineExample.java");
    private static final Pattern HELD_OUT = Pattern.compile("the other 10%: accuracy ([0-9.]+) on (\\d+) rows");

    @Test
    void compilesAndFitsSavesLoadsAndEvaluatesItsPipeline(@TempDir Path dir) throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Path classes = dir.resolve("classes");
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        // Surefire runs the tests from a manifest-only jar; the class path it stands for is in this property.
        // -path: some dependencies name jars in their manifests that they do not ship.
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        int status = javac.run(null, diagnostics, diagnostics, "-d", classes.toString(), "-classpath", classPath,
                "--release", "17", "-Xlint:all,-path", "-Werror", SOURCE.toString());
        assertEquals(0, status, diagnostics.toString(StandardCharsets.UTF_8));

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream console = System.out;
        try (URLClassLoader loader = new URLClassLoader(new URL[]{classes.toUri().toURL()}, getClass().getClassLoader())) {
            Method main = loader.loadClass("io.recur.examples.PipelineExample").getMethod("main", String[].class);
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            main.invoke(null, (Object) new String[]{"src/test/resources/corpus/sms-spam-slice.tsv", dir.resolve("out").toString()});
        } finally {
            System.setOut(console);
        }
        String output = printed.toString(StandardCharsets.UTF_8);
        System.out.print(output);
        Matcher m = HELD_OUT.matcher(output);
        assertTrue(m.find(), output);
        assertTrue(Integer.parseInt(m.group(2)) > 50, output);
        // The slice is 88% ham: a model that learnt nothing does no better than that.
        assertTrue(Double.parseDouble(m.group(1)) > 0.88, output);
        Matcher run = Pattern.compile("run: (\\S+)").matcher(output);
        assertTrue(run.find(), output);
        assertNotNull(SavedRun.read(run.group(1), new Configuration()).network(), "the saved stage is a run directory");
    }
}
