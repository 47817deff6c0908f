package io.recur.config;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every job spec key that recur's sources name in a string (an error message, a hint) is a key a
 * job spec can set: a message that names {@code corpus.paths} sends the user looking for a key
 * that does not exist.
 */
@DisplayName("the keys named in messages")
class KeysInMessagesTest {
    private static final Pattern STRING = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");
    private static final Pattern KEY = Pattern.compile(
            "(?<![\\w.$-])(job|corpus|split|vocab|model|train|output|synthetic|bakeoff|warm-start|registry|spark)"
                    + "\\.([a-z][a-z0-9-]*(?:\\.[a-z][a-z0-9-]*)*)");
    /** File names (model.zip) and Spark's own settings (spark.serializer) look like keys but are not. */
    private static final Pattern NOT_A_KEY = Pattern.compile(
            ".*\\.(zip|json|jsonl|conf|md|html|png|svg|tsv|txt|gz|log|properties|csv|onnx)|spark\\.(?!master\\b|conf\\b|executor-wait-seconds\\b).*");

    @Test
    void areAllKnownKeys() throws IOException {
        Set<String> known = new TreeSet<>(JobSpecLoader.knownKeys());
        List<String> unknown = new ArrayList<>();
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                List<String> lines = Files.readAllLines(source);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher string = STRING.matcher(lines.get(i));
                    while (string.find()) {
                        Matcher key = KEY.matcher(string.group(1));
                        while (key.find()) {
                            String k = key.group();
                            if (NOT_A_KEY.matcher(k).matches() || known.contains(k) || isSection(k, known)
                                    || k.startsWith("spark.conf.")) continue;
                            unknown.add(source + ":" + (i + 1) + ": " + k);
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), unknown, "messages name keys that recur-reference.conf does not define");
    }

    private static boolean isSection(String k, Set<String> known) {
        return known.stream().anyMatch(key -> key.startsWith(k + "."));
    }
}
