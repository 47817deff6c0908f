package io.recur.config;

import com.typesafe.config.Config;

import java.util.Map;

/**
 * Spark settings from the spec. {@code master} is used only when neither the command line nor
 * spark-submit set one; {@code conf} holds extra Spark settings by their full Spark names
 * ({@code spark.executor.memory}), unchecked.
 */
public record SparkSpec(String master, Map<String, String> conf) {
    public SparkSpec {
        if (master == null || master.isBlank()) {
            throw new IllegalArgumentException("master must be non-blank, was '" + master + "'");
        }
        conf = Map.copyOf(conf);
    }

    /** Reads {@code spark.*} of a resolved job spec. */
    static SparkSpec from(Config root) {
        SpecReader r = new SpecReader(root);
        return new SparkSpec(r.string("spark.master"), r.stringMap("spark.conf"));
    }
}
