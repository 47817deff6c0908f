package io.recur.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoublePredicate;
import java.util.regex.Pattern;

/**
 * Typed reads of a resolved job spec by full key ({@code model.layers}). Every failed read is a
 * {@link SpecException} naming where the value was written, the key, the value and what is allowed,
 * so the records' {@code from(Config)} methods need no error handling of their own.
 */
final class SpecReader {
    private final Config root;

    SpecReader(Config root) {
        this.root = root;
    }

    /** The value at {@code key}, including an explicit {@code null}; Java null when the key is absent. */
    ConfigValue valueOrNull(String key) {
        ConfigValue current = root.root();
        for (String segment : ConfigUtil.splitPath(key)) {
            if (!(current instanceof ConfigObject object) || !object.containsKey(segment)) {
                return null;
            }
            current = object.get(segment);
        }
        return current;
    }

    String string(String key) {
        ConfigValue value = present(key);
        if (!isScalar(value)) {
            throw bad(key, value, "expected a string");
        }
        String text = String.valueOf(value.unwrapped());
        if (text.isBlank()) {
            throw bad(key, value, "expected a non-empty string");
        }
        return text;
    }

    /** A string that may be empty or white space, such as a separator ({@code " "}, {@code "\t"}). */
    String verbatimString(String key) {
        ConfigValue value = present(key);
        if (value.valueType() != ConfigValueType.STRING) {
            throw bad(key, value, "expected a quoted string");
        }
        return (String) value.unwrapped();
    }

    String matching(String key, Pattern pattern, String allowed) {
        String text = string(key);
        if (!pattern.matcher(text).matches()) {
            throw bad(key, present(key), "expected " + allowed);
        }
        return text;
    }

    boolean bool(String key) {
        ConfigValue value = present(key);
        try {
            return root.getBoolean(key);
        } catch (ConfigException.WrongType e) {
            throw bad(key, value, "expected true or false");
        }
    }

    /** A whole number in {@code [min, max]}; a fractional value is rejected, not truncated. */
    long whole(String key, long min, long max) {
        ConfigValue value = present(key);
        String allowed = "a whole number " + range(min, max);
        Number number = number(key, value, allowed);
        if ((number instanceof Double || number instanceof Float)
                && number.doubleValue() != Math.rint(number.doubleValue())) {
            throw bad(key, value, "expected " + allowed);
        }
        if (number.doubleValue() < min || number.doubleValue() > max) {
            throw bad(key, value, "out of range; expected " + allowed);
        }
        return number.longValue();
    }

    int wholeInt(String key, int min, int max) {
        return (int) whole(key, min, max);
    }

    /** A finite number accepted by {@code ok}; {@code allowed} describes the range for the message. */
    double decimal(String key, DoublePredicate ok, String allowed) {
        ConfigValue value = present(key);
        double number = number(key, value, allowed).doubleValue();
        if (!Double.isFinite(number) || !ok.test(number)) {
            throw bad(key, value, "out of range; expected " + allowed);
        }
        return number;
    }

    /** {@link #decimal}, or empty when the value is the word {@code word} (case-insensitive). */
    java.util.OptionalDouble decimalOrWord(String key, String word, DoublePredicate ok, String allowed) {
        ConfigValue value = present(key);
        if (value.valueType() == ConfigValueType.STRING && String.valueOf(value.unwrapped()).trim().equalsIgnoreCase(word)) {
            return java.util.OptionalDouble.empty();
        }
        if (value.valueType() != ConfigValueType.NUMBER && !(value.valueType() == ConfigValueType.STRING
                && String.valueOf(value.unwrapped()).trim().matches("[-+]?[0-9.]+([eE][-+]?[0-9]+)?"))) {
            throw bad(key, value, "expected " + word + " or " + allowed);
        }
        return java.util.OptionalDouble.of(decimal(key, ok, word + " or " + allowed));
    }

    /** An enum constant named case-insensitively in kebab-case ({@code lstm}, {@code nesterovs}). */
    <E extends Enum<E>> E oneOf(String key, Class<E> type) {
        List<String> names = Arrays.stream(type.getEnumConstants())
                .map(EnumNames::label)
                .toList();
        String chosen = oneOf(key, names);
        return type.getEnumConstants()[names.indexOf(chosen)];
    }

    /** One of {@code names}, matched case-insensitively; returns the spelling from {@code names}. */
    String oneOf(String key, List<String> names) {
        ConfigValue value = present(key);
        String text = isScalar(value) ? String.valueOf(value.unwrapped()).trim() : "";
        return names.stream()
                .filter(name -> name.equalsIgnoreCase(text))
                .findFirst()
                .orElseThrow(() -> bad(key, value, "unknown value; allowed: " + String.join(", ", names)));
    }

    /** A non-empty string, or a non-empty list of non-empty strings. */
    List<String> strings(String key) {
        ConfigValue value = present(key);
        if (isScalar(value)) {
            return List.of(string(key));
        }
        String allowed = "a string or a non-empty list of strings";
        if (!(value instanceof ConfigList list) || list.isEmpty()) {
            throw bad(key, value, "expected " + allowed);
        }
        List<String> texts = new ArrayList<>();
        for (ConfigValue element : list) {
            if (!isScalar(element) || String.valueOf(element.unwrapped()).isBlank()) {
                throw bad(key, value, "expected " + allowed + "; element " + render(element) + " is not");
            }
            texts.add(String.valueOf(element.unwrapped()));
        }
        return texts;
    }

    /**
     * A free-form object flattened to dotted keys, so {@code conf { spark.executor.memory = 4g }}
     * and {@code conf { "spark.executor.memory" = 4g }} mean the same. Values must be scalars.
     */
    Map<String, String> stringMap(String key) {
        ConfigValue value = present(key);
        if (!(value instanceof ConfigObject)) {
            throw bad(key, value, "expected an object of settings, e.g. { \"spark.executor.memory\" = \"4g\" }");
        }
        Map<String, String> flat = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> entry : root.getConfig(key).entrySet()) {
            String name = String.join(".", ConfigUtil.splitPath(entry.getKey()));
            if (!isScalar(entry.getValue())) {
                throw bad(key + "." + name, entry.getValue(), "expected a string, number or boolean");
            }
            flat.put(name, String.valueOf(entry.getValue().unwrapped()));
        }
        return flat;
    }

    /** A {@link SpecException} located at the value of {@code key}. */
    SpecException bad(String key, ConfigValue value, String problem) {
        return new SpecException(SpecException.where(value.origin()) + ": " + key + " = " + render(value)
                + ": " + problem);
    }

    /** Where the value of {@code key} was written, for messages that involve more than one key. */
    String where(String key) {
        return SpecException.where(present(key).origin());
    }

    private ConfigValue present(String key) {
        ConfigValue value = valueOrNull(key);
        if (value == null) {
            throw new SpecException(key + " is missing; it has no default, so set it in the job file"
                    + " or with --set " + key + "=...");
        }
        if (value.valueType() == ConfigValueType.NULL) {
            throw bad(key, value, "null is not allowed here; remove the line to keep the default");
        }
        return value;
    }

    private Number number(String key, ConfigValue value, String allowed) {
        try {
            return root.getNumber(key);
        } catch (ConfigException.WrongType e) {
            throw bad(key, value, "expected " + allowed);
        }
    }

    private static boolean isScalar(ConfigValue value) {
        return switch (value.valueType()) {
            case STRING, NUMBER, BOOLEAN -> true;
            default -> false;
        };
    }

    private static String range(long min, long max) {
        if (min == Long.MIN_VALUE && max == Long.MAX_VALUE) {
            return "(64-bit)";
        }
        if (max == Long.MAX_VALUE || max == Integer.MAX_VALUE) {
            return ">= " + min;
        }
        return "from " + min + " to " + max;
    }

    static String render(ConfigValue value) {
        String text = value.render(ConfigRenderOptions.concise());
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }
}
