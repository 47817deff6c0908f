package io.recur.job;

import io.recur.config.JobSpec;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Starts Spark with the settings DL4J needs. */
public final class SparkContexts {
    private SparkContexts() {}

    /** ND4J's arrays and recur's records (examples, counts) both cross the wire through Kryo. */
    static final List<String> KRYO_REGISTRATORS =
            List.of("org.nd4j.kryo.Nd4jRegistrator", "io.recur.corpus.RecordKryoRegistrator");

    /**
     * @param masterOverride the command line's {@code --master}, or null. Without it a master set
     *                       by spark-submit wins over the spec's {@code spark.master}; likewise
     *                       spark-submit's {@code --conf} values win over the spec's {@code spark.conf}.
     */
    public static JavaSparkContext start(JobSpec spec, String masterOverride) {
        SparkConf conf = new SparkConf().setAppName("recur " + spec.name());
        spec.spark().conf().forEach(conf::setIfMissing);
        if (masterOverride != null) conf.setMaster(masterOverride);
        else if (!conf.contains("spark.master")) conf.setMaster(spec.spark().master());
        return new JavaSparkContext(withRecurSettings(conf));
    }

    /** Adds the settings every Spark context running recur needs; tests use it too. */
    public static SparkConf withRecurSettings(SparkConf conf) {
        conf.setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        conf.set("spark.kryo.registrator", withRegistrators(conf.get("spark.kryo.registrator", "")));
        // Minibatches of long sequences exceed Kryo's default 64 MB buffer limit.
        conf.setIfMissing("spark.kryoserializer.buffer.max", "512m");
        // Spark's own console progress bar would overwrite recur's training progress line.
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        return conf;
    }

    /** Adds recur's registrators to those the user or spark-submit already named. */
    static String withRegistrators(String existing) {
        Set<String> all = new LinkedHashSet<>();
        for (String r : existing.split(",")) if (!r.isBlank()) all.add(r.trim());
        all.addAll(KRYO_REGISTRATORS);
        return String.join(",", all);
    }
}
