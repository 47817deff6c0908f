package io.recur.testing;

import io.recur.job.SparkContexts;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;

/**
 * A real {@code local[2]} Spark context with Spark's Hive catalog over an embedded Derby metastore
 * of its own, database, warehouse and Derby's log all under {@code dir}, for one test class.
 */
public final class LocalHive {
    private LocalHive() {}

    /** The settings a job spec's {@code spark.conf} would carry to reach this metastore. */
    public static SparkConf conf(Class<?> testClass, Path dir) {
        return new SparkConf()
                .setMaster("local[2]")
                .setAppName(testClass.getSimpleName())
                .set("spark.ui.enabled", "false")
                .set("spark.sql.catalogImplementation", "hive")
                .set("spark.sql.warehouse.dir", dir.resolve("warehouse").toUri().toString())
                .set("spark.hadoop.javax.jdo.option.ConnectionURL",
                        "jdbc:derby:;databaseName=" + dir.resolve("metastore_db") + ";create=true");
    }

    /** Starts the context; Derby writes derby.log into {@code dir}, as it is booted here first. */
    public static SparkSession start(Class<?> testClass, Path dir) {
        System.setProperty("derby.system.home", dir.toString());
        JavaSparkContext sc = new JavaSparkContext(SparkContexts.withRecurSettings(conf(testClass, dir)));
        return SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
    }
}
