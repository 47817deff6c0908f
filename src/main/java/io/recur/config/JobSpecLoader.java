package io.recur.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads job specs. A spec is the HOCON job file with {@code --set key=value} overrides on top and
 * the defaults of {@code recur-reference.conf} (on the class path) underneath; substitutions such
 * as {@code ${?RECUR_CORPUS}} are resolved after merging, against the spec and then the environment.
 * Every key is checked against the defaults and every value against its allowed range before
 * anything else runs; all problems are {@link SpecException}s that name file:line, key and value.
 */
public final class JobSpecLoader {
    static final String REFERENCE = "recur-reference.conf";

    private static final Config DEFAULTS = ConfigFactory.parseResources(JobSpecLoader.class.getClassLoader(),
            REFERENCE, ConfigParseOptions.defaults().setAllowMissing(false).setSyntax(ConfigSyntax.CONF));
    private static final KnownKeys KNOWN_KEYS = new KnownKeys(DEFAULTS.resolve().root());

    private JobSpecLoader() {
    }

    /**
     * Loads and validates a job file.
     *
     * @param jobFile   HOCON with top-level sections ({@code job}, {@code corpus}, {@code model}, ...)
     * @param overrides {@code key=value} strings from {@code --set}, later ones winning; the value is
     *                  parsed as HOCON ({@code 2}, {@code "hdfs://nn:8020/x"}, {@code [a, b]}), and an
     *                  unquoted value that is not valid HOCON or holds {@code //} or {@code #} is taken
     *                  as a plain string, so {@code --set corpus.path=hdfs://nn:8020/x} works too
     * @throws SpecException if the file cannot be read or parsed, or the spec is invalid
     */
    public static JobSpec load(Path jobFile, List<String> overrides) {
        return validated(merged(jobFile, overrides), jobFile.toString());
    }

    /**
     * Loads a job file's bake-off ({@code bakeoff.*}) with the same overrides as {@link #load};
     * the rest of the spec is validated too.
     *
     * @throws SpecException if the spec or its bake-off section is invalid
     */
    public static BakeoffSpec loadBakeoff(Path jobFile, List<String> overrides) {
        Config merged = merged(jobFile, overrides);
        validated(merged, jobFile.toString());
        return BakeoffSpec.from(merged.withFallback(DEFAULTS).resolve());
    }

    private static Config merged(Path jobFile, List<String> overrides) {
        Config merged = parseJobFile(jobFile);
        for (String override : overrides) {
            merged = parseOverride(override).withFallback(merged);
        }
        return merged;
    }

    /**
     * Reads a spec back from {@link JobSpec#resolvedText()} as saved in a run directory; it is
     * validated like a job file, so the result equals the spec that was saved (given the same origin).
     * Keys missing from {@code text} take their defaults, which also makes a short HOCON snippet
     * enough to build a spec in tests.
     *
     * @param origin names the text in messages, e.g. the path it was read from
     */
    public static JobSpec fromResolvedText(String text, String origin) {
        Config parsed;
        try {
            parsed = ConfigFactory.parseString(text,
                    ConfigParseOptions.defaults().setOriginDescription(origin).setSyntax(ConfigSyntax.CONF));
        } catch (ConfigException e) {
            throw new SpecException(located(e), e);
        }
        return validated(parsed, origin);
    }

    /**
     * Builds a spec from settings by full key ({@code model.hidden-size} to {@code 32}), the rest
     * taken from the defaults, validated like a job file: an API's parameters, which have no file.
     * A message names {@code origin} where a job file's would name its file and line.
     *
     * @param settings values as {@link SpecKey#defaultValue} holds them: numbers, booleans, strings, lists
     * @throws SpecException if a key is unknown or the spec is invalid
     */
    public static JobSpec fromSettings(Map<String, ?> settings, String origin) {
        Config spec = ConfigFactory.empty();
        for (Map.Entry<String, ?> setting : settings.entrySet()) {
            spec = ConfigValueFactory.fromAnyRef(setting.getValue(), origin).atPath(setting.getKey()).withFallback(spec);
        }
        return validated(spec, origin);
    }

    /** Every key of {@code recur-reference.conf} with its resolved default and the comment above it; sorted by key. */
    public static List<SpecKey> declarations() {
        SpecReader resolved = new SpecReader(DEFAULTS.resolve());
        SpecReader written = new SpecReader(DEFAULTS);
        return KNOWN_KEYS.keys().stream().map(key -> new SpecKey(key, resolved.valueOrNull(key).unwrapped(),
                String.join(" ", written.valueOrNull(key).origin().comments().stream().map(String::strip).toList())))
                .toList();
    }

    /** The keys {@link #scoringInput} takes: what container the input is and which columns hold what. */
    static final List<String> INPUT_KEYS = List.of("corpus.source", "corpus.columns.text", "corpus.columns.tokens",
            "corpus.columns.id", "corpus.where", "corpus.csv.header", "corpus.csv.delimiter", "corpus.csv.quote",
            "corpus.csv.escape", "corpus.csv.multi-line");

    /**
     * How {@code score --input} is read: the run's {@code corpus.*} (its source, columns and reading
     * rules), with {@code --set} overrides of {@link #INPUT_KEYS} only, since the rest (tokenizer,
     * lower-casing, truncation) is what the model was trained with. A {@code corpus.source} that is
     * set starts the table keys over from their defaults: the columns of the run's container say
     * nothing about another. The label and tags columns are never read for scoring. The input's
     * paths or table name are the caller's ({@link CorpusSpec#withInputs}).
     *
     * @throws SpecException naming the {@code --set} for another key, or for a table without a
     *                       text or tokens column
     */
    public static CorpusSpec scoringInput(JobSpec run, List<String> overrides) {
        Config root = ConfigFactory.parseString(run.resolvedText());
        Config sets = ConfigFactory.empty();
        for (String override : overrides) {
            Config parsed = parseOverride(override);
            String key = override.substring(0, override.indexOf('=')).trim();
            if (!INPUT_KEYS.contains(key))
                throw new SpecException(SpecException.SET_ORIGIN_PREFIX + override + ": score takes only the keys that say"
                        + " how its input is read: " + String.join(", ", INPUT_KEYS) + "; the others are the model's");
            sets = parsed.withFallback(sets);
        }
        if (sets.hasPath("corpus.source"))
            for (String table : List.of("corpus.columns", "corpus.where", "corpus.table", "corpus.csv"))
                root = root.withoutPath(table);
        root = sets.withFallback(root).withFallback(DEFAULTS).resolve()
                .withValue("corpus.columns.label", ConfigValueFactory.fromAnyRef(""))
                .withValue("corpus.columns.tags", ConfigValueFactory.fromAnyRef(""));
        CorpusSpec corpus;
        try {
            corpus = CorpusSpec.from(root);
        } catch (ConfigException e) {
            throw new SpecException(located(e), e);
        }
        TableSpec t = corpus.table();
        if (corpus.source().table() && t.textColumn().isEmpty() == t.tokensColumn().isEmpty())
            throw new SpecException("--set: an input with corpus.source = " + corpus.source().label() + " needs exactly one"
                    + " of corpus.columns.text and corpus.columns.tokens, but " + (t.textColumn().isEmpty() ? "neither is set"
                    : "both are set") + "; e.g. --set corpus.columns.text=message");
        if (!corpus.source().table() && !(t.idColumn() + t.where() + t.textColumn() + t.tokensColumn()).isEmpty())
            throw new SpecException("--set: corpus.columns.* and corpus.where apply only to a table, but the input's"
                    + " corpus.source = text; set corpus.source too");
        return corpus;
    }

    /** Every key a job spec may set, as written in {@code recur-reference.conf}; sorted. */
    static List<String> knownKeys() {
        return KNOWN_KEYS.keys();
    }

    /** The known key most like {@code unknown}, for "did you mean" hints. */
    static java.util.Optional<String> suggestion(String unknown) {
        return KNOWN_KEYS.suggestion(unknown);
    }

    private static Config parseJobFile(Path jobFile) {
        if (!Files.exists(jobFile)) {
            throw new SpecException("job file " + jobFile + " does not exist (working directory: "
                    + Path.of("").toAbsolutePath() + ")");
        }
        if (!Files.isRegularFile(jobFile) || !Files.isReadable(jobFile)) {
            throw new SpecException("job file " + jobFile + " is not a readable file");
        }
        try {
            return ConfigFactory.parseFile(jobFile.toFile(),
                    ConfigParseOptions.defaults().setAllowMissing(false).setSyntax(ConfigSyntax.CONF));
        } catch (ConfigException e) {
            throw new SpecException(located(e), e);
        }
    }

    private static Config parseOverride(String override) {
        int eq = override.indexOf('=');
        if (eq < 0) {
            throw new SpecException("--set " + override + ": expected key=value, e.g. --set model.layers=2");
        }
        String key = override.substring(0, eq).trim();
        String text = override.substring(eq + 1).trim();
        String where = SpecException.SET_ORIGIN_PREFIX + override;
        try {
            ConfigUtil.splitPath(key);
        } catch (ConfigException e) {
            throw new SpecException(where + ": '" + key + "' is not a key; keys look like model.layers");
        }
        if (text.isEmpty()) {
            throw new SpecException(where + ": the value is empty; write " + key + "=\"\" for an empty string");
        }
        return overrideValue(text, where).atPath(key);
    }

    private static ConfigValue overrideValue(String text, String where) {
        boolean structured = text.startsWith("\"") || text.startsWith("[") || text.startsWith("{");
        // HOCON reads // and # as comment starts, which would silently cut "hdfs://nn/x" to "hdfs:".
        if (!structured && (text.contains("//") || text.contains("#"))) {
            return ConfigValueFactory.fromAnyRef(text, where);
        }
        try {
            ConfigObject parsed = ConfigFactory.parseString("value = " + text,
                    ConfigParseOptions.defaults().setOriginDescription(where).setSyntax(ConfigSyntax.CONF)).root();
            if (parsed.size() != 1) {
                throw new SpecException(where + ": expected a single value after '='");
            }
            return parsed.get("value");
        } catch (ConfigException e) {
            if (!structured) {
                return ConfigValueFactory.fromAnyRef(text, where);
            }
            throw new SpecException(where + ": the value is not valid HOCON (" + e.getMessage()
                    .replaceFirst("^.*?: \\d+: ", "") + "); quote strings that contain special characters", e);
        }
    }

    private static JobSpec validated(Config spec, String origin) {
        Config resolved;
        try {
            resolved = spec.withFallback(DEFAULTS).resolve();
        } catch (ConfigException.UnresolvedSubstitution e) {
            throw new SpecException(located(e) + "; set that environment variable, define the key in the spec,"
                    + " or write ${?NAME} to leave the key at its default when NAME is unset", e);
        } catch (ConfigException e) {
            throw new SpecException(located(e), e);
        }
        List<String> unknown = KNOWN_KEYS.problems(resolved.root());
        if (!unknown.isEmpty()) {
            throw new SpecException(String.join("\n", unknown));
        }
        return JobSpec.from(resolved, origin);
    }

    /** The message of a config library exception, starting with file:line instead of "file: line". */
    private static String located(ConfigException e) {
        if (e.origin() == null) {
            return e.getMessage();
        }
        String prefix = e.origin().description() + ": ";
        String message = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage();
        return SpecException.where(e.origin()) + ": " + message;
    }
}
