package io.recur.train;

import io.recur.storage.Json;
import io.recur.storage.Sha256;
import io.recur.storage.StagedDirectory;
import io.recur.storage.Storage;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checkpoints of one run in a directory on any Hadoop file system, one subdirectory per epoch:
 * {@code epoch-000003-<key prefix>/} holding {@code model.zip} (parameters and updater state),
 * {@code best-params.bin}, {@code best-updater.bin} (absent when the updater keeps no state),
 * {@code state.json} (key, epoch, early-stopping counters, times, the log so far) and, written
 * last, {@code MANIFEST.json} with the size and SHA-256 of every other file.
 *
 * <p>A checkpoint is written under a hidden temporary name and renamed into place, so a crash
 * leaves either the whole checkpoint or none. Only the two newest checkpoints of this key are kept;
 * checkpoints of other keys are left alone (the directory is the caller's). Reading skips, with a
 * WARN naming the file, a checkpoint whose files do not match its manifest, and ignores one whose
 * key differs: the key says which run (spec, data, warm-start parent) it belongs to.
 */
public final class CheckpointStore {
    static final String MODEL = "model.zip";
    static final String BEST_PARAMS = "best-params.bin";
    static final String BEST_UPDATER = "best-updater.bin";
    static final String STATE = "state.json";
    static final String MANIFEST = "MANIFEST.json";
    private static final int KEPT = 2;
    private static final int PREFIX = 16;
    private static final Pattern NAME = Pattern.compile("epoch-(\\d{6})-([0-9a-f]{" + PREFIX + "})");
    private static final Pattern KEY = Pattern.compile("[0-9a-f]{" + PREFIX + ",}");
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);

    private final Path dir;
    private final String key;
    private final Configuration hadoop;

    /**
     * @param dir a Hadoop URI or path; created on the first save
     * @param key lower-case hex, at least 16 digits, identifying the run the checkpoints belong to
     */
    public CheckpointStore(String dir, String key, Configuration hadoop) {
        if (!KEY.matcher(key).matches())
            throw new IllegalArgumentException("key must be lower-case hex of at least " + PREFIX + " digits, was " + key);
        this.dir = new Path(dir);
        this.key = key;
        this.hadoop = hadoop;
    }

    /** Writes the checkpoint atomically, then removes this key's checkpoints older than the last two. */
    public void save(Checkpoint c) {
        String name = String.format("epoch-%06d-%s", c.epoch(), key.substring(0, PREFIX));
        try {
            FileSystem fs = Storage.fileSystem(dir, hadoop);
            Path target = new Path(dir, name);
            StagedDirectory staged = StagedDirectory.create(fs, target);
            Map<String, FileEntry> files = new LinkedHashMap<>();
            ByteArrayOutputStream model = new ByteArrayOutputStream();
            ModelSerializer.writeModel(c.network(), model, true);
            files.put(MODEL, write(staged, MODEL, model.toByteArray()));
            files.put(BEST_PARAMS, write(staged, BEST_PARAMS, array(c.bestParams())));
            if (c.bestUpdaterState() != null)
                files.put(BEST_UPDATER, write(staged, BEST_UPDATER, array(c.bestUpdaterState())));
            State state = new State(key, c.epoch(), c.bestEpoch(), c.bestValidationLoss(), c.epochsSinceBest(),
                    c.fitSeconds(), c.seconds(), c.log());
            files.put(STATE, write(staged, STATE, Json.bytes(state)));
            staged.write(MANIFEST, Json.bytes(new Manifest(files)));
            // A run that resumed after a crash rewrites the epoch the crashed run may have finished.
            if (fs.exists(target)) fs.delete(target, true);
            staged.publish();
            prune(fs);
        } catch (IOException e) {
            throw new UncheckedIOException("writing checkpoint " + new Path(dir, name) + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The newest intact checkpoint of this key, if any. A damaged one is skipped with a WARN naming
     * the file, and the one before it is tried; a checkpoint of another key is skipped with a WARN.
     */
    public Optional<Checkpoint> latest() {
        List<Candidate> candidates = new ArrayList<>();
        try {
            FileSystem fs = Storage.fileSystem(dir, hadoop);
            if (!fs.exists(dir)) return Optional.empty();
            for (FileStatus s : fs.listStatus(dir)) {
                Matcher m = NAME.matcher(s.getPath().getName());
                if (!s.isDirectory() || !m.matches()) continue;
                if (!key.startsWith(m.group(2))) {
                    LOG.warn("ignoring checkpoint {}: it belongs to another run (job spec, training data or warm-start "
                            + "model differ)", s.getPath());
                    continue;
                }
                candidates.add(new Candidate(s.getPath(), Integer.parseInt(m.group(1))));
            }
            candidates.sort(Comparator.comparingInt(Candidate::epoch).reversed());
            for (Candidate c : candidates) {
                Optional<Checkpoint> read = read(fs, c.path());
                if (read.isPresent()) return read;
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("listing checkpoints in " + dir + " failed: " + e.getMessage(), e);
        }
    }

    private Optional<Checkpoint> read(FileSystem fs, Path checkpoint) {
        Path file = new Path(checkpoint, MANIFEST);
        try {
            if (!fs.exists(file)) {
                LOG.warn("ignoring checkpoint {}: {} is missing, so the checkpoint is incomplete", checkpoint, file);
                return Optional.empty();
            }
            Manifest manifest = Json.read(readAll(fs, file), Manifest.class);
            Map<String, byte[]> content = new LinkedHashMap<>();
            for (String required : List.of(MODEL, BEST_PARAMS, STATE)) {
                if (!manifest.files().containsKey(required)) {
                    LOG.warn("ignoring checkpoint {}: {} does not list {}", checkpoint, file, required);
                    return Optional.empty();
                }
            }
            for (Map.Entry<String, FileEntry> e : manifest.files().entrySet()) {
                file = new Path(checkpoint, e.getKey());
                byte[] bytes = fs.exists(file) ? readAll(fs, file) : null;
                String problem = bytes == null ? "is missing"
                        : bytes.length != e.getValue().bytes() ? "has " + bytes.length + " bytes, the manifest says "
                        + e.getValue().bytes() + " (truncated or overwritten)"
                        : !Sha256.hex(bytes).equals(e.getValue().sha256()) ? "does not match its SHA-256 in the manifest (corrupted)"
                        : null;
                if (problem != null) {
                    LOG.warn("ignoring checkpoint {}: {} {}", checkpoint, file, problem);
                    return Optional.empty();
                }
                content.put(e.getKey(), bytes);
            }
            file = new Path(checkpoint, STATE);
            State state = Json.read(content.get(STATE), State.class);
            if (!key.equals(state.key())) {
                LOG.warn("ignoring checkpoint {}: {} has key {}, this run's is {}", checkpoint, file, state.key(), key);
                return Optional.empty();
            }
            file = new Path(checkpoint, MODEL);
            MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(content.get(MODEL)), true);
            INDArray bestParams = array(content.get(BEST_PARAMS));
            INDArray bestUpdater = content.containsKey(BEST_UPDATER) ? array(content.get(BEST_UPDATER)) : null;
            return Optional.of(new Checkpoint(state.epoch(), net, bestParams, bestUpdater, state.bestEpoch(),
                    state.bestValidationLoss(), state.epochsSinceBest(), state.fitSeconds(), state.seconds(), state.log()));
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring checkpoint {}: reading {} failed: {}", checkpoint, file, e.toString());
            return Optional.empty();
        }
    }

    private void prune(FileSystem fs) throws IOException {
        List<Candidate> own = new ArrayList<>();
        for (FileStatus s : fs.listStatus(dir)) {
            String name = s.getPath().getName();
            Matcher m = NAME.matcher(name);
            if (m.matches() && key.startsWith(m.group(2))) own.add(new Candidate(s.getPath(), Integer.parseInt(m.group(1))));
            // Left by a crash while writing one of this run's checkpoints; never read.
            else if (name.startsWith(StagedDirectory.PREFIX) && name.contains(key.substring(0, PREFIX))) fs.delete(s.getPath(), true);
        }
        own.sort(Comparator.comparingInt(Candidate::epoch).reversed());
        for (Candidate old : own.subList(Math.min(KEPT, own.size()), own.size())) fs.delete(old.path(), true);
    }

    private static FileEntry write(StagedDirectory directory, String name, byte[] bytes) throws IOException {
        Sha256.Sized written = directory.write(name, bytes);
        return new FileEntry(written.bytes(), written.sha256());
    }

    private static byte[] readAll(FileSystem fs, Path file) throws IOException {
        try (InputStream in = fs.open(file)) {
            return in.readAllBytes();
        }
    }

    private static byte[] array(INDArray a) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            Nd4j.write(a, out);
        }
        return bytes.toByteArray();
    }

    private static INDArray array(byte[] bytes) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return Nd4j.read(in);
        }
    }

    private record Candidate(Path path, int epoch) {}

    record FileEntry(long bytes, String sha256) {}

    record Manifest(Map<String, FileEntry> files) {}

    record State(String key, int epoch, int bestEpoch, double bestValidationLoss, int epochsSinceBest,
                 double fitSeconds, double seconds, List<EpochRecord> log) {}
}
