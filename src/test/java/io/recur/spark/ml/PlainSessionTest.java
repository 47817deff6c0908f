package io.recur.spark.ml;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A session without recur's settings (Java serialization): DL4J's parameter averaging would fail
 * once the first task returns its parameters, so fit refuses it first, saying what to set.
 */
@Tag("spark")
@DisplayName("fit in a Spark session without recur's settings")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlainSessionTest {
    private JavaSparkContext sc;

    @BeforeAll
    void startPlainSpark() {
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("PlainSessionTest")
                .set("spark.ui.enabled", "false"));
    }

    @AfterAll
    void stopSpark() {
        sc.stop();
    }

    @Test
    void isRefusedBeforeAnythingIsWrittenNamingTheSettings(@TempDir Path dir) throws Exception {
        SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        Dataset<Row> rows = spark.createDataFrame(List.of(RowFactory.create("ham", "see you at noon"),
                RowFactory.create("spam", "free prize call now")),
                new StructType().add("label", DataTypes.StringType).add("text", DataTypes.StringType));
        RecurClassifier classifier = new RecurClassifier().setSpec("output.dir", dir.resolve("runs").toString());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> classifier.fit(rows));
        assertEquals("RecurClassifier.fit: the Spark session lacks spark.serializer = org.apache.spark.serializer.KryoSerializer"
                + " and spark.kryo.registrator = org.nd4j.kryo.Nd4jRegistrator,io.recur.corpus.RecordKryoRegistrator;"
                + " build its SparkConf with io.recur.job.SparkContexts.withRecurSettings(conf)", e.getMessage());
        assertFalse(Files.exists(dir.resolve("runs")), "nothing written");
    }
}
