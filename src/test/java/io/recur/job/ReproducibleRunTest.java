package io.recur.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.recur.config.JobSpec;
import io.recur.run.RunDirectory;
import io.recur.run.SavedRun;
import io.recur.testing.LocalSpark;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same spec, seed, data and worker count give the same model: the SMS slice with dropout (drawn
 * on the executors) trained twice on local[2].
 */
@Tag("spark")
@DisplayName("Two runs of one job, seed and worker count")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReproducibleRunTest {
    /** What depends on the clock or the run directory, not on the training. */
    private static final Pattern NOT_TRAINING = Pattern.compile("(?i).*(second|runid|time|started|cost).*");

    private JavaSparkContext sc;
    private Path root;

    @BeforeAll
    void startSpark(@TempDir Path tmp) {
        sc = LocalSpark.start(ReproducibleRunTest.class);
        root = tmp;
    }

    @AfterAll
    void stopSpark() {
        sc.stop();
    }

    private SavedRun trainTwice(String name, String workers, Map<String, Double> first, Map<String, Double> second)
            throws IOException {
        SavedRun a = null;
        for (Map<String, Double> numbers : java.util.List.of(first, second)) {
            JobSpec spec = TrainJobTest.spec("sms-slice.conf", root.resolve(name),
                    "train.epochs=1", "model.dropout=0.3", "train.workers=" + workers);
            RunDirectory dir = RunDirectory.create(spec.output().dir(), spec.name(), sc.hadoopConfiguration());
            TrainJob.TrainResult r = new TrainJob(spec, new PrintStream(new ByteArrayOutputStream()), false).run(TrainRequest.in(sc, dir));
            numbers.putAll(numbers(TrainJobTest.metrics(r), ""));
            SavedRun run = SavedRun.read(r.runDirectory(), sc.hadoopConfiguration());
            if (a == null) a = run;
            else assertSameParameters(a.network().params(), run.network().params());
        }
        return a;
    }

    private static void assertSameParameters(INDArray a, INDArray b) {
        assertEquals(a.length(), b.length());
        long differing = 0;
        for (long i = 0; i < a.length(); i++) if (a.getFloat(i) != b.getFloat(i)) differing++;
        assertEquals(0, differing, "parameters of " + a.length() + " that differ between the runs");
    }

    private static Map<String, Double> numbers(JsonNode node, String path) {
        Map<String, Double> out = new TreeMap<>();
        if (node.isNumber()) out.put(path, node.asDouble());
        else if (node.isArray()) for (int i = 0; i < node.size(); i++) out.putAll(numbers(node.get(i), path + "/" + i));
        else if (node.isObject())
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!NOT_TRAINING.matcher(e.getKey()).matches()) out.putAll(numbers(e.getValue(), path + "/" + e.getKey()));
            }
        return out;
    }

    @Test
    void twoWorkersGiveTheSameMetricsAndParametersTwice() throws IOException {
        Map<String, Double> first = new TreeMap<>(), second = new TreeMap<>();
        trainTwice("two", "2", first, second);
        assertTrue(first.containsKey("/heldOut/accuracy") && first.containsKey("/training/bestValidationLoss"), first.keySet().toString());
        assertEquals(first, second);
    }

    /** Three or more replicas: DL4J's sum of their results followed the order the tasks finished in. */
    @Test
    void fourWorkersGiveTheSameMetricsAndParametersTwice() throws IOException {
        Map<String, Double> first = new TreeMap<>(), second = new TreeMap<>();
        trainTwice("four", "4", first, second);
        assertEquals(first, second);
    }
}
