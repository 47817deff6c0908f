package io.recur.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A fully resolved, validated job spec. Build one with {@link JobSpecLoader}; the constructor
 * enforces the same invariants, including the rules between keys: {@code classify} reads
 * {@code labeled} corpora, {@code lm} reads {@code text} corpora, {@code tag} reads {@code tagged}
 * corpora, only a {@code tagged} corpus may simplify its tags, and only {@code classify} and
 * {@code tag} may use a bidirectional network (a language model must not see the tokens it predicts).
 * The synthetic tasks ({@link Task#synthetic}) read no corpus (its
 * paths are empty; the other corpus keys are ignored), feed real-valued or one-hot inputs
 * ({@code model.embedding-size = 0}) and are unidirectional, as the standard benchmarks are.
 *
 * @param name         a directory name: letters, digits, '.', '_' and '-', not "." or ".."
 * @param resolvedText the resolved HOCON, written next to every model for provenance;
 *                     {@link JobSpecLoader#fromResolvedText} reads it back into an equal spec
 * @param origin       where the spec came from (file path), for messages
 */
public record JobSpec(String name, Task task, long seed, CorpusSpec corpus, SplitSpec split,
                      VocabSpec vocab, ModelSpec model, TrainSpec train, OutputSpec output,
                      SparkSpec spark, SyntheticSpec synthetic, WarmStartSpec warmStart,
                      RegistrySpec registry, EvalSpec eval, String resolvedText, String origin) {
    /** The rule for a name that becomes a directory: a job's, a registry model's. */
    public static final Pattern NAME = Pattern.compile("(?!\\.{1,2}$)[A-Za-z0-9._-]+");
    public static final String NAME_RULE = "letters, digits, '.', '_' and '-' (it names a directory), not \".\" or \"..\"";

    public JobSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(corpus, "corpus");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(vocab, "vocab");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(spark, "spark");
        Objects.requireNonNull(synthetic, "synthetic");
        Objects.requireNonNull(warmStart, "warmStart");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(eval, "eval");
        Objects.requireNonNull(resolvedText, "resolvedText");
        Objects.requireNonNull(origin, "origin");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name must match " + NAME + " and not be . or .., was '" + name + "'");
        }
        if (task.synthetic()) {
            if (!corpus.paths().isEmpty()) {
                throw new IllegalArgumentException("task " + task + " generates its data; corpus paths must be empty, were "
                        + corpus.paths());
            }
            if (model.embeddingSize() != 0 || model.bidirectional()) {
                throw new IllegalArgumentException("task " + task + " needs embeddingSize 0 and a unidirectional network");
            }
        } else if (corpus.source().metastore() != corpus.paths().isEmpty()) {
            throw new IllegalArgumentException("task " + task + " reads a corpus; corpus paths must be "
                    + (corpus.source().metastore() ? "empty for a metastore table, were " + corpus.paths() : "given"));
        } else if (corpus.source().metastore() && corpus.table().name().isEmpty()) {
            throw new IllegalArgumentException("task " + task + " reads a metastore table; its name must not be empty");
        } else if (task != formatTask(corpus.format())) {
            throw new IllegalArgumentException("task " + task + " cannot read format " + corpus.format());
        }
        if (corpus.tagSimplify() && corpus.format() != CorpusFormat.TAGGED) {
            throw new IllegalArgumentException("tagSimplify needs format TAGGED, format was " + corpus.format());
        }
        if (corpus.format() != CorpusFormat.TEXT
                && (corpus.joinLines() || !corpus.fieldSeparator().isEmpty() || corpus.textField() != 1)) {
            throw new IllegalArgumentException("joinLines, fieldSeparator and textField need format TEXT, format was "
                    + corpus.format());
        }
        if (model.bidirectional() && task == Task.LM) {
            throw new IllegalArgumentException("bidirectional is only allowed with task CLASSIFY or TAG, task was " + task);
        }
    }

    /**
     * The resolved spec without {@code output.*} and {@code spark.*}: what decides the model a run
     * trains, not where it writes or runs. Equal for two runs that may continue each other's checkpoints.
     */
    public String trainingText() {
        return ConfigFactory.parseString(resolvedText).withoutPath("output").withoutPath("spark")
                .root().render(ConfigRenderOptions.concise());
    }

    /**
     * Reads a resolved job spec whose keys have been checked against the defaults.
     *
     * @param origin where the spec came from, named when a required key is missing
     */
    static JobSpec from(Config root, String origin) {
        SpecReader r = new SpecReader(root);
        Task task = r.oneOf("job.task", Task.class);
        boolean metastore = root.hasPath("corpus.source")
                && String.valueOf(root.getValue("corpus.source").unwrapped()).trim().equals(SourceFormat.TABLE.label());
        if (!task.synthetic() && !metastore && !root.hasPath("corpus.path")) {
            throw new SpecException(origin + ": corpus.path is missing; it has no default. Set it in the job file"
                    + " (corpus.path = \"data/my-corpus.txt\", or a list of paths), pass --set corpus.path=...,"
                    + " or take it from the environment with corpus.path = ${?RECUR_CORPUS}");
        }
        String name = r.matching("job.name", NAME, NAME_RULE);
        CorpusSpec corpus = CorpusSpec.from(root);
        ModelSpec model = ModelSpec.from(root);
        if (task.synthetic()) {
            syntheticRules(r, root, task, model);
        }
        if (!task.synthetic() && task != formatTask(corpus.format())) {
            throw new SpecException(r.where("job.task") + ": job.task = " + kebab(task) + " needs corpus.format = "
                    + kebab(format(task)) + ", but corpus.format = " + kebab(corpus.format()) + " ("
                    + r.where("corpus.format") + "); classify reads labeled corpora (label<TAB>text), lm reads text"
                    + " corpora, tag reads tagged corpora (word/TAG word/TAG ...)");
        }
        if (corpus.tagSimplify() && corpus.format() != CorpusFormat.TAGGED) {
            throw new SpecException(r.where("corpus.tag-simplify") + ": corpus.tag-simplify = true needs"
                    + " corpus.format = tagged, but corpus.format = " + kebab(corpus.format()) + " ("
                    + r.where("corpus.format") + "); remove corpus.tag-simplify or read a tagged corpus");
        }
        if (corpus.format() != CorpusFormat.TEXT) {
            String textOnly = corpus.joinLines() ? "corpus.join-lines"
                    : !corpus.fieldSeparator().isEmpty() ? "corpus.field-separator"
                    : corpus.textField() != 1 ? "corpus.text-field" : null;
            if (textOnly != null)
                throw new SpecException(r.where(textOnly) + ": " + textOnly + " applies only to corpus.format = text,"
                        + " but corpus.format = " + kebab(corpus.format()) + " (" + r.where("corpus.format")
                        + "); remove " + textOnly);
        }
        if (corpus.textField() != 1 && corpus.fieldSeparator().isEmpty()) {
            throw new SpecException(r.where("corpus.text-field") + ": corpus.text-field = " + corpus.textField()
                    + " needs a corpus.field-separator to count fields by; set one, e.g. corpus.field-separator = \" \"");
        }
        if (!task.synthetic()) tableRules(r, corpus);
        if (model.bidirectional() && task == Task.LM) {
            throw new SpecException(r.where("model.bidirectional") + ": model.bidirectional = true is only allowed"
                    + " with job.task = classify or tag, but job.task = " + kebab(task) + " (" + r.where("job.task")
                    + "); a language model must not see the tokens it predicts, so set model.bidirectional = false");
        }
        String resolvedText = root.root().render(ConfigRenderOptions.defaults()
                .setOriginComments(false).setComments(false).setJson(false).setFormatted(true));
        return new JobSpec(name, task, r.whole("job.seed", Long.MIN_VALUE, Long.MAX_VALUE), corpus,
                SplitSpec.from(root), VocabSpec.from(root), model, TrainSpec.from(root), OutputSpec.from(root),
                SparkSpec.from(root), SyntheticSpec.from(root), WarmStartSpec.from(root), RegistrySpec.from(root),
                EvalSpec.from(root), resolvedText, origin);
    }

    private static void syntheticRules(SpecReader r, Config root, Task task, ModelSpec model) {
        String where = r.where("job.task") + ": job.task = " + kebab(task);
        if (root.hasPath("corpus.path")) {
            throw new SpecException(r.where("corpus.path") + ": corpus.path is set, but " + where
                    + " generates its examples from job.seed and synthetic.*; remove corpus.path");
        }
        if (model.embeddingSize() != 0) {
            throw new SpecException(r.where("model.embedding-size") + ": model.embedding-size = "
                    + model.embeddingSize() + ", but " + where + " feeds real-valued or one-hot"
                    + " inputs, not token ids; set model.embedding-size = 0");
        }
        if (root.getDouble("split.train-subset") != 1.0) {
            throw new SpecException(r.where("split.train-subset") + ": split.train-subset = "
                    + root.getDouble("split.train-subset") + ", but " + where + " generates its data; set"
                    + " synthetic.train-examples to train on fewer examples");
        }
        if (model.bidirectional()) {
            throw new SpecException(r.where("model.bidirectional") + ": model.bidirectional = true, but " + where
                    + " is a benchmark of what a network carries forward in time, so it reads unidirectionally;"
                    + " set model.bidirectional = false");
        }
    }

    /**
     * A table names its columns and has no lines to split into fields; text files have no columns.
     * The layout is still {@code corpus.format}'s: labeled has a label column, tagged a tokens and a tags column.
     */
    private static void tableRules(SpecReader r, CorpusSpec corpus) {
        TableSpec t = corpus.table();
        String source = "corpus.source = " + corpus.source().label();
        if (corpus.source().metastore() != !t.name().isEmpty())
            throw new SpecException(r.where(corpus.source().metastore() ? "corpus.source" : "corpus.table") + ": "
                    + (corpus.source().metastore() ? source + " reads a metastore table by name; set corpus.table = \"db.name\""
                    : "corpus.table applies only to corpus.source = table, but " + source + "; set corpus.source = table, or remove corpus.table"));
        if (corpus.source().metastore() && !corpus.paths().isEmpty())
            throw new SpecException(r.where("corpus.path") + ": corpus.path is set, but " + source + " reads the files the"
                    + " metastore lists for corpus.table = " + t.name() + "; remove corpus.path, or read the files with"
                    + " corpus.source = parquet or orc");
        if (!corpus.source().table()) {
            String column = !t.textColumn().isEmpty() ? "corpus.columns.text" : !t.tokensColumn().isEmpty() ? "corpus.columns.tokens"
                    : !t.labelColumn().isEmpty() ? "corpus.columns.label" : !t.tagsColumn().isEmpty() ? "corpus.columns.tags"
                    : !t.idColumn().isEmpty() ? "corpus.columns.id" : !t.where().isEmpty() ? "corpus.where" : null;
            if (column != null)
                throw new SpecException(r.where(column) + ": " + column + " applies only to a table, but " + source
                        + "; set corpus.source = parquet, orc, csv, json or table, or remove " + column);
            return;
        }
        String linesOnly = corpus.joinLines() ? "corpus.join-lines"
                : !corpus.fieldSeparator().isEmpty() ? "corpus.field-separator"
                : corpus.textField() != 1 ? "corpus.text-field" : null;
        if (linesOnly != null)
            throw new SpecException(r.where(linesOnly) + ": " + linesOnly + " applies only to corpus.source = text, but "
                    + source + "; remove " + linesOnly);
        if (t.textColumn().isEmpty() == t.tokensColumn().isEmpty())
            throw new SpecException(r.where("corpus.source") + ": " + source + " needs exactly one of corpus.columns.text"
                    + " (a string column to tokenize) and corpus.columns.tokens (an array<string> column), but "
                    + (t.textColumn().isEmpty() ? "neither is set" : "both are set"));
        CorpusFormat format = corpus.format();
        if (format == CorpusFormat.LABELED && t.labelColumn().isEmpty())
            throw new SpecException(r.where("corpus.format") + ": corpus.format = labeled reads the class from a column;"
                    + " set corpus.columns.label");
        if (format != CorpusFormat.LABELED && !t.labelColumn().isEmpty())
            throw new SpecException(r.where("corpus.columns.label") + ": corpus.columns.label needs corpus.format = labeled,"
                    + " but corpus.format = " + kebab(format) + "; remove it");
        if (format == CorpusFormat.TAGGED && (t.tagsColumn().isEmpty() || t.tokensColumn().isEmpty()))
            throw new SpecException(r.where("corpus.format") + ": corpus.format = tagged reads one tag per token;"
                    + " set corpus.columns.tokens and corpus.columns.tags (both array<string>)");
        if (format != CorpusFormat.TAGGED && !t.tagsColumn().isEmpty())
            throw new SpecException(r.where("corpus.columns.tags") + ": corpus.columns.tags needs corpus.format = tagged,"
                    + " but corpus.format = " + kebab(format) + "; remove it");
    }

    /** The task that reads a corpus format. */
    private static Task formatTask(CorpusFormat format) {
        return switch (format) {
            case LABELED -> Task.CLASSIFY;
            case TEXT -> Task.LM;
            case TAGGED -> Task.TAG;
        };
    }

    /** The corpus format a task reads. */
    private static CorpusFormat format(Task task) {
        return switch (task) {
            case CLASSIFY -> CorpusFormat.LABELED;
            case LM -> CorpusFormat.TEXT;
            case TAG -> CorpusFormat.TAGGED;
            case SEQUENCE_REGRESSION, SEQUENCE_COPY, SEQUENCE_PRODUCT -> throw new IllegalArgumentException(task + " reads no corpus");
        };
    }

    private static String kebab(Enum<?> constant) {
        return EnumNames.label(constant);
    }
}
