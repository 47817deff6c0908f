package io.recur.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The keys a job spec may use: exactly those of the defaults ({@code recur-reference.conf}), plus
 * anything inside a free-form map such as {@code spark.conf}. Finds unknown keys and suggests the
 * known key the user probably meant.
 */
final class KnownKeys {
    /** Maps whose keys are passed through unchecked. */
    static final List<String> FREE_FORM = List.of("spark.conf");

    private final ConfigObject defaults;
    private final List<String> keys = new ArrayList<>();

    KnownKeys(ConfigObject defaults) {
        this.defaults = defaults;
        collect(defaults, "");
        keys.sort(Comparator.naturalOrder());
    }

    /** Every known key, full and sorted; sections ({@code model}) are not listed, free-form maps are. */
    List<String> keys() {
        return List.copyOf(keys);
    }

    /**
     * One message per key of {@code spec} that the defaults do not know, and per section that the
     * spec replaced by a plain value; empty if all keys are known.
     */
    List<String> problems(ConfigObject spec) {
        List<Problem> problems = new ArrayList<>();
        check(spec, defaults, "", problems);
        // Config objects are hash maps; sort so the messages follow the job file.
        return problems.stream()
                .sorted(Comparator.comparing((Problem p) -> p.origin().description().replaceFirst(": \\d+$", ""))
                        .thenComparingInt(p -> p.origin().lineNumber())
                        .thenComparing(Problem::message))
                .map(p -> SpecException.where(p.origin()) + ": " + p.message())
                .toList();
    }

    private record Problem(ConfigOrigin origin, String message) {}

    private void check(ConfigObject spec, ConfigObject known, String prefix, List<Problem> problems) {
        for (Map.Entry<String, ConfigValue> entry : spec.entrySet()) {
            String key = prefix + ConfigUtil.joinPath(entry.getKey());
            ConfigValue value = entry.getValue();
            ConfigValue knownValue = known.get(entry.getKey());
            if (knownValue == null) {
                String knownHere = "known keys" + (prefix.isEmpty() ? "" : " under " + prefix.replaceFirst("\\.$", ""))
                        + ": " + sortedKeys(known);
                // An unknown section is reported by its values, each where it was written: the section
                // itself was made by HOCON (for --set foo.bar=1 its origin reads "atPath(foo.bar)").
                leaves(key, value).forEach((leafKey, leaf) -> {
                    String hint = suggestion(leafKey).or(() -> suggestion(key)).map(s -> "did you mean " + s + "?")
                            .orElse(knownHere);
                    problems.add(new Problem(leaf.origin(),
                            "unknown key " + leafKey + " (= " + SpecReader.render(leaf) + "); " + hint));
                });
            } else if (knownValue instanceof ConfigObject knownSection && !FREE_FORM.contains(key)) {
                if (value instanceof ConfigObject section) {
                    check(section, knownSection, key + ".", problems);
                } else {
                    problems.add(new Problem(value.origin(), key + " = " + SpecReader.render(value)
                            + ": expected a section with keys " + sortedKeys(knownSection) + "; set them as "
                            + key + ".<key> = ... or " + key + " { ... }"));
                }
            }
        }
    }

    /** The values under {@code key} by full key: {@code key} itself unless it is a non-empty section. */
    private static Map<String, ConfigValue> leaves(String key, ConfigValue value) {
        Map<String, ConfigValue> leaves = new TreeMap<>();
        if (value instanceof ConfigObject section && !section.isEmpty()) {
            section.forEach((name, child) -> leaves.putAll(leaves(key + "." + ConfigUtil.joinPath(name), child)));
        } else {
            leaves.put(key, value);
        }
        return leaves;
    }

    /**
     * The known key (or section) most like {@code unknown}: the same key spelled with other separators
     * or case, a small edit away, or the same last segment in another section
     * ({@code train.dropout} -> {@code model.dropout}).
     */
    Optional<String> suggestion(String unknown) {
        List<String> candidates = new ArrayList<>(keys);
        defaults.keySet().stream().sorted().forEach(candidates::add);
        String plain = normalized(unknown);
        Optional<String> sameWords = candidates.stream().filter(k -> normalized(k).equals(plain)).findFirst();
        if (sameWords.isPresent()) {
            return sameWords;
        }
        int allowed = Math.max(2, unknown.length() / 5);
        Optional<String> close = candidates.stream()
                .min(Comparator.comparingInt(k -> distance(unknown, k)))
                .filter(k -> distance(unknown, k) <= allowed);
        if (close.isPresent()) {
            return close;
        }
        String last = unknown.substring(unknown.lastIndexOf('.') + 1);
        return keys.stream().filter(k -> k.endsWith("." + last)).findFirst();
    }

    private void collect(ConfigObject object, String prefix) {
        for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
            String key = prefix + entry.getKey();
            if (entry.getValue() instanceof ConfigObject section && !FREE_FORM.contains(key)) {
                collect(section, key + ".");
            } else {
                keys.add(key);
            }
        }
    }

    private static String sortedKeys(ConfigObject section) {
        return String.join(", ", section.keySet().stream().sorted().toList());
    }

    private static String normalized(String key) {
        return key.replaceAll("[-_]", "").toLowerCase(Locale.ROOT);
    }

    /** Optimal string alignment distance: edits, counting a swap of neighbours as one. */
    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
