package io.recur.testing;

import io.recur.job.SparkContexts;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** A real {@code local[2]} Spark context with the settings the jobs use, for one test class. */
public final class LocalSpark {
    private LocalSpark() {}

    public static JavaSparkContext start(Class<?> testClass) {
        return new JavaSparkContext(SparkContexts.withRecurSettings(new SparkConf()
                .setMaster("local[2]")
                .setAppName(testClass.getSimpleName())
                .set("spark.ui.enabled", "false")));
    }
}
