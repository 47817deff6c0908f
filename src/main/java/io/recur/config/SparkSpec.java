package io.recur.config;

import java.util.Map;

/**
 * Spark settings from the spec. {@code master} is used only when neither the command line nor
 * spark-submit set one.
 */
public record SparkSpec(String master, Map<String, String> conf) {
    public SparkSpec {
        conf = Map.copyOf(conf);
    }
}
