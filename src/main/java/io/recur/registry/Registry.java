package io.recur.registry;

import io.recur.config.JobSpec;
import io.recur.config.UserInputException;
import io.recur.provenance.RunManifest;
import io.recur.run.RunMetrics;
import io.recur.storage.AtomicPublish;
import io.recur.storage.Json;
import io.recur.storage.Storage;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The versions of one model on any Hadoop file system:
 * <pre>
 * &lt;registry&gt;/&lt;model&gt;/
 *   v000001/ ...            a published run directory plus lineage.json (only lineage.json if training failed)
 *   champion-000007.json    the champion pointer; the highest sequence is current; superseded ones
 *                           are deleted a minute later (the two newest are always kept)
 *   lease                   while a retrain or a registry change runs
 *   result.json             the outcome of the last retrain
 *   .staging/               checkpoints and the run in training; never a version
 * </pre>
 * A version appears by one rename of a complete directory, and a champion change by one rename of
 * a complete pointer file to a new sequence number (Hadoop's rename never replaces a file on HDFS,
 * so there is no pointer to overwrite). A version is deleted by first renaming it to a hidden name.
 * So a reader never sees half a version nor a missing or half-written pointer. Writers (publish,
 * promote, rollback, prune) must hold the {@link #lease}.
 */
public final class Registry {
    public static final String LINEAGE = "lineage.json";
    static final String RESULT = "result.json";
    private static final Pattern VERSION = Pattern.compile("v(\\d{6,})");
    private static final Pattern POINTER = Pattern.compile("champion-(\\d{6,})\\.json");
    private static final String DELETING_PREFIX = ".deleting-";
    private static final int POINTER_READ_ATTEMPTS = 5;
    /** How long a superseded champion pointer stays readable. */
    private static final Duration POINTER_GRACE = Duration.ofMinutes(1);

    private final FileSystem fs;
    private final Path modelDir;
    private final Clock clock;

    private Registry(FileSystem fs, Path modelDir, Clock clock) {
        this.fs = fs;
        this.modelDir = modelDir;
        this.clock = clock;
    }

    /** The model's registry; nothing is created until something is published. */
    public static Registry open(String root, String model, Configuration hadoop) {
        return open(root, model, hadoop, Clock.systemUTC());
    }

    /**
     * The registry of a model that must already be there (the {@code registry} commands look at and
     * change what retrains made): a missing root or model is an error naming what there is.
     */
    public static Registry openExisting(String root, String model, Configuration hadoop) {
        Registry registry = open(root, model, hadoop);
        try {
            Path rootDir = registry.modelDir.getParent();
            if (!registry.fs.exists(rootDir))
                throw new UserInputException("registry " + root + " does not exist; give the registry.dir the retrains use");
            if (!registry.fs.getFileStatus(rootDir).isDirectory())
                throw new UserInputException("registry " + root + " is a file, not a registry directory; give the"
                        + " registry.dir the retrains use");
            if (!registry.fs.exists(registry.modelDir)) {
                List<String> models = new ArrayList<>();
                for (FileStatus s : registry.fs.listStatus(rootDir))
                    if (s.isDirectory() && !s.getPath().getName().startsWith(".")) models.add(s.getPath().getName());
                models.sort(null);
                throw new UserInputException("model " + model + " is not in registry " + root + "; models there: "
                        + (models.isEmpty() ? "none" : String.join(", ", models)));
            }
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException("reading registry " + root + ": " + e.getMessage(), e);
        }
    }

    static Registry open(String root, String model, Configuration hadoop, Clock clock) {
        if (root == null || root.isBlank())
            throw new UserInputException("registry.dir is not set; give the registry root, e.g. "
                    + "--set registry.dir=hdfs:///models or a local directory");
        requireModelName(model);
        Path dir = new Path(root, model);
        try {
            FileSystem fs = Storage.fileSystem(dir, hadoop);
            return new Registry(fs, fs.makeQualified(dir), clock);
        } catch (IOException e) {
            throw new UserInputException("registry.dir: cannot open " + dir + " (" + e.getMessage()
                    + "); use a file: or hdfs: URI this machine can reach", e);
        }
    }

    /**
     * The one rule for a model name, wherever it comes from (the spec's {@code registry.model}, the
     * {@code --model} of the registry commands): it names one directory inside the registry root.
     *
     * @throws UserInputException if it is not such a name
     */
    public static String requireModelName(String model) {
        if (model == null || !JobSpec.NAME.matcher(model).matches())
            throw new UserInputException("'" + model + "' is not a model name; a model name names one directory inside"
                    + " the registry root: " + JobSpec.NAME_RULE);
        return model;
    }

    public Path modelDir() {
        return modelDir;
    }

    public Path versionDir(String version) {
        return new Path(modelDir, version);
    }

    /** Training scratch space: checkpoints and the unpublished run. */
    public Path stagingDir() {
        return new Path(modelDir, ".staging");
    }

    public Path resultFile() {
        return new Path(modelDir, RESULT);
    }

    /** Takes the model's lease (see {@link Lease}); close it to release. */
    public Lease lease(Duration ttl, String purpose) {
        return Lease.acquire(fs, new Path(modelDir, "lease"), ttl,
                System.getProperty("user.name", "unknown") + " (" + purpose + ")", clock);
    }

    /** Published versions, oldest first. */
    public List<String> versions() {
        try {
            if (!fs.exists(modelDir)) return List.of();
            List<String> out = new ArrayList<>();
            for (FileStatus s : fs.listStatus(modelDir))
                if (s.isDirectory() && VERSION.matcher(s.getPath().getName()).matches()) out.add(s.getPath().getName());
            out.sort(java.util.Comparator.comparingLong(Registry::number));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + modelDir + ": " + e.getMessage(), e);
        }
    }

    public Lineage lineage(String version) {
        Path file = new Path(versionDir(requireVersion(version)), LINEAGE);
        try (InputStream in = fs.open(file)) {
            return Json.read(in, Lineage.class);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file + ": " + e.getMessage(), e);
        }
    }

    /** The {@code metrics.json} of a version's run; empty for a failed version. */
    public Optional<RunMetrics> metrics(String version) {
        Path file = new Path(versionDir(requireVersion(version)), RunMetrics.FILE);
        try (InputStream in = fs.open(file)) {
            return Optional.of(RunMetrics.read(in));
        } catch (FileNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file + ": " + e.getMessage(), e);
        }
    }

    /** The current champion pointer, if a version was ever promoted. */
    public Optional<ChampionPointer> championPointer() {
        for (int attempt = 1; ; attempt++) {
            try {
                List<Long> sequences = pointerSequences();
                if (sequences.isEmpty()) return Optional.empty();
                try (InputStream in = fs.open(pointerFile(sequences.get(sequences.size() - 1)))) {
                    return Optional.of(Json.read(in, ChampionPointer.class));
                }
            } catch (FileNotFoundException e) {
                // A writer pruned the pointer between listing and reading: a newer one exists now.
                if (attempt == POINTER_READ_ATTEMPTS) throw new UncheckedIOException(e);
            } catch (IOException e) {
                throw new UncheckedIOException("reading the champion pointer in " + modelDir + ": " + e.getMessage(), e);
            }
        }
    }

    public Optional<String> champion() {
        return championPointer().map(ChampionPointer::version);
    }

    /**
     * Publishes a version: writes the lineage into {@code runDir} (a complete run directory on this
     * registry's file system, under {@link #stagingDir}) and renames it to the next version number.
     *
     * @param runDir null for a failed training: the version then holds only its lineage
     * @return the new version
     */
    public String publish(Path runDir, Lineage draft) {
        try {
            Path staged = runDir;
            if (staged == null) {
                staged = new Path(stagingDir(), "failed-" + UUID.randomUUID());
                fs.mkdirs(staged);
            }
            List<String> existing = versions();
            long next = existing.isEmpty() ? 1 : number(existing.get(existing.size() - 1)) + 1;
            String version = String.format("v%06d", next);
            Lineage lineage = draft.withVersion(version, clock.instant().toString());
            try (OutputStream out = fs.create(new Path(staged, LINEAGE), false)) {
                Json.write(out, lineage);
            }
            if (!AtomicPublish.renameIfAbsent(fs, staged, versionDir(version)))
                throw new IOException(versionDir(version) + " appeared while publishing; registry writers must hold the lease");
            return version;
        } catch (IOException e) {
            throw new UncheckedIOException("publishing into " + modelDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * A champion is what every retrain warm-starts from, so an altered version is refused here and
     * not only when it is next loaded. A version from before manifests is checked when loaded.
     */
    private void requirePublishedBytes(String version) {
        Path dir = versionDir(version);
        try {
            RunManifest manifest = RunManifest.read(fs, dir);
            List<String> wrong = manifest == null ? List.of() : manifest.mismatches(fs, dir);
            if (!wrong.isEmpty())
                throw new UserInputException(RunManifest.describe(dir, wrong) + "; version " + version + " was altered after "
                        + "it was published; promote another version");
        } catch (IOException e) {
            throw new UserInputException(new Path(dir, RunManifest.FILE) + ": cannot read it (" + e.getMessage() + "); version "
                    + version + " was altered after it was published; promote another version", e);
        }
    }

    /** Makes {@code version} the champion. */
    public ChampionPointer promote(String version, String reason) {
        requireVersion(version);
        Lineage lineage = lineage(version);
        if (lineage.outcome() == Outcome.FAILED)
            throw new UserInputException("version " + version + " holds no model (its training failed: "
                    + lineage.reason() + "); promote a version with a model, see `recur registry list`");
        requirePublishedBytes(version);
        Optional<ChampionPointer> current = championPointer();
        List<String> history = new ArrayList<>(current.map(ChampionPointer::history).orElse(List.of()));
        Set<String> ever = new LinkedHashSet<>(current.map(ChampionPointer::everChampion).orElse(List.of()));
        history.add(version);
        ever.add(version);
        return writePointer(current, version, reason, history, List.copyOf(ever));
    }

    /**
     * Steps back one champion in the history: the current one leaves the history, the one before it
     * is champion again, so rolling back again goes further back (v3, v2, v1), never to and fro.
     */
    public ChampionPointer rollback(String reason) {
        ChampionPointer current = championPointer().orElseThrow(() -> new UserInputException(
                modelDir + " has no champion, so there is nothing to roll back"));
        if (current.history().size() < 2)
            throw new UserInputException(current.version() + " is the earliest champion left in the history of "
                    + modelDir + " (" + current.history() + "); there is no earlier one to roll back to"
                    + " (use `recur registry promote` with a version)");
        List<String> history = current.history().subList(0, current.history().size() - 1);
        return writePointer(Optional.of(current), history.get(history.size() - 1), reason, history,
                current.everChampion());
    }

    private ChampionPointer writePointer(Optional<ChampionPointer> current, String version, String reason,
                                         List<String> history, List<String> everChampion) {
        long sequence = current.map(ChampionPointer::sequence).orElse(0L) + 1;
        ChampionPointer pointer = new ChampionPointer(sequence, version, clock.instant().toString(), reason,
                List.copyOf(history), everChampion);
        try {
            if (!AtomicPublish.writeIfAbsent(fs, pointerFile(sequence), Json.bytes(pointer))) {
                throw new IOException(pointerFile(sequence) + " appeared while changing the champion;"
                        + " registry writers must hold the lease");
            }
            // Older pointers go, but only once they are a while old: a reader lists the directory and then
            // opens the newest pointer it saw, and a reader slowed down between the two must still find it.
            long cutoff = clock.millis() - POINTER_GRACE.toMillis();
            for (FileStatus s : fs.listStatus(modelDir)) {
                Matcher m = POINTER.matcher(s.getPath().getName());
                if (m.matches() && Long.parseLong(m.group(1)) < sequence - 1 && s.getModificationTime() < cutoff)
                    fs.delete(s.getPath(), false);
            }
            return pointer;
        } catch (IOException e) {
            throw new UncheckedIOException("changing the champion in " + modelDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Retention: deletes every version except the newest {@code keepVersions} and every version that
     * was ever champion. Each is first renamed to a hidden name, so it vanishes at once.
     *
     * @return the deleted versions
     */
    public List<String> prune(int keepVersions) {
        List<String> versions = versions();
        Set<String> keep = new HashSet<>(versions.subList(Math.max(0, versions.size() - keepVersions), versions.size()));
        championPointer().ifPresent(p -> keep.addAll(p.everChampion()));
        List<String> deleted = new ArrayList<>();
        try {
            for (String v : versions) {
                if (keep.contains(v)) continue;
                Path hidden = new Path(modelDir, DELETING_PREFIX + v + "-" + UUID.randomUUID());
                if (fs.rename(versionDir(v), hidden)) deleted.add(v);
            }
            // Also the leftovers of a prune that died half way.
            for (FileStatus s : fs.listStatus(modelDir, p -> p.getName().startsWith(DELETING_PREFIX)))
                fs.delete(s.getPath(), true);
            return deleted;
        } catch (IOException e) {
            throw new UncheckedIOException("retention in " + modelDir + ": " + e.getMessage(), e);
        }
    }

    /** Deletes the staging area: checkpoints and unpublished runs. */
    public void clearStaging() {
        try {
            fs.delete(stagingDir(), true);
        } catch (IOException e) {
            throw new UncheckedIOException("deleting " + stagingDir() + ": " + e.getMessage(), e);
        }
    }

    /** Replaces {@code result.json} in one step: a reader sees the previous result or this one. */
    public void writeResult(Object result) {
        try {
            fs.mkdirs(modelDir);
            AtomicPublish.replace(fs, resultFile(), Json.bytes(result));
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + resultFile() + ": " + e.getMessage(), e);
        }
    }

    private List<Long> pointerSequences() throws IOException {
        if (!fs.exists(modelDir)) return List.of();
        List<Long> out = new ArrayList<>();
        for (FileStatus s : fs.listStatus(modelDir)) {
            Matcher m = POINTER.matcher(s.getPath().getName());
            if (m.matches()) out.add(Long.parseLong(m.group(1)));
        }
        out.sort(null);
        return out;
    }

    private Path pointerFile(long sequence) {
        return new Path(modelDir, String.format("champion-%06d.json", sequence));
    }

    private String requireVersion(String version) {
        if (version == null || !VERSION.matcher(version).matches())
            throw new UserInputException("'" + version + "' is not a version name; versions look like v000001"
                    + " (see `recur registry list`)");
        try {
            if (!fs.exists(versionDir(version)))
                throw new UserInputException("version " + version + " does not exist in " + modelDir
                        + "; published versions: " + versions());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return version;
    }

    private static long number(String version) {
        return Long.parseLong(version.substring(1));
    }
}
