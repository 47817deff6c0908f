package io.recur.data;

import io.recur.config.JobSpec;
import io.recur.config.JobSpecLoader;
import io.recur.corpus.Split;
import io.recur.task.GeneratedTask;
import io.recur.testing.LocalSpark;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@Tag("spark")
@DisplayName("SyntheticData, local[2]")
class SyntheticDataTest {
    private static JavaSparkContext sc;

    @BeforeAll
    static void startSpark() {
        sc = LocalSpark.start(SyntheticDataTest.class);
    }

    @AfterAll
    static void stopSpark() {
        sc.stop();
    }

    @Test
    void generatesOnTheExecutorsTheExamplesALocalGeneratorMakes(@TempDir Path output) {
        JobSpec spec = JobSpecLoader.fromResolvedText("""
                job { name = "synthetic-test", task = sequence-regression, seed = 5 }
                synthetic { steps = 10, train-examples = 100, validation-examples = 200, test-examples = 300 }
                model.embedding-size = 0
                train { batch-size = 32, workers = 2 }
                output.dir = "%s"
                """.formatted(output), "synthetic-test.conf");
        JavaRDD<DataSet> test = SyntheticData.split(sc, spec, GeneratedTask.of(spec.task()).generator(10), Split.TEST, 300, 3);
        assertEquals(3, test.getNumPartitions());
        List<Double> generated = test.flatMap(ds -> {
            List<Double> labels = new java.util.ArrayList<>();
            for (int i = 0; i < ds.numExamples(); i++) labels.add(ds.getLabels().getDouble(i, 0));
            return labels.iterator();
        }).collect();
        DataSet local = GeneratedTask.of(spec.task()).generator(10).batch(spec.seed(), Split.TEST, 0, 300);
        assertEquals(300, generated.size());
        for (int i = 0; i < 300; i++) assertEquals(local.getLabels().getDouble(i, 0), generated.get(i), 0.0);
    }
}
