package io.recur.report;

import java.util.List;
import java.util.Map;

/**
 * Typed reads of the {@code metrics.json} map; a missing key reads as null (an empty map or
 * list for sections), so a report of an older or partial run still renders.
 */
record MetricsMap(Map<String, ?> map) {
    MetricsMap {
        map = map == null ? Map.of() : map;
    }

    @SuppressWarnings("unchecked")
    MetricsMap section(String key) {
        return map.get(key) instanceof Map<?, ?> m ? new MetricsMap((Map<String, ?>) m) : new MetricsMap(null);
    }

    Number number(String key) {
        return map.get(key) instanceof Number n ? n : null;
    }

    String string(String key) {
        Object v = map.get(key);
        return v == null ? null : v.toString();
    }

    List<?> list(String key) {
        return map.get(key) instanceof List<?> l ? l : List.of();
    }

    boolean has(String key) {
        return map.containsKey(key);
    }

    java.util.Set<String> keys() {
        return map.keySet();
    }
}
