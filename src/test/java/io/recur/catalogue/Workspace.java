package io.recur.catalogue;

import io.recur.cli.Main;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * A fresh directory for one catalogue row: the files the row makes, the output directory jobs
 * publish into, stdin for the command, and copies of small trained runs (trained once per JVM).
 */
public final class Workspace {
    /** The test job every training row starts from: the 929-line SMS slice, two workers. */
    public static final String SMS_JOB = "src/test/resources/jobs/sms-slice.conf";
    /** The character language model job on the Moby Dick slice. */
    public static final String MOBY_JOB = "src/test/resources/jobs/moby-slice.conf";

    private final Path root;
    private byte[] stdin = new byte[0];

    Workspace(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** Where the rows' jobs publish ({@code output.dir}). */
    public Path output() {
        return root.resolve("runs");
    }

    /** A UTF-8 text file in the workspace. */
    public Path file(String name, String content) throws IOException {
        return bytes(name, content.getBytes(StandardCharsets.UTF_8));
    }

    /** A file of exactly these bytes in the workspace. */
    public Path bytes(String name, byte[] content) throws IOException {
        Path p = root.resolve(name);
        Files.createDirectories(p.getParent());
        return Files.write(p, content);
    }

    /** A copy of a file from the project (a test slice, a shipped corpus). */
    public Path copy(String projectFile, String name) throws IOException {
        Path p = root.resolve(name);
        Files.createDirectories(p.getParent());
        return Files.copy(Path.of(projectFile), p, StandardCopyOption.REPLACE_EXISTING);
    }

    public void stdin(String text) {
        stdin = text.getBytes(StandardCharsets.UTF_8);
    }

    public void stdin(byte[] bytes) {
        stdin = bytes.clone();
    }

    byte[] stdinBytes() {
        return stdin;
    }

    /**
     * {@code train} of {@link #SMS_JOB} for one short epoch on one local core, publishing into
     * {@link #output()}, with {@code sets} as further {@code --set} overrides.
     */
    public String[] train(String... sets) {
        return trainJob(SMS_JOB, sets);
    }

    /** As {@link #train} for another job file. */
    public String[] trainJob(String jobFile, String... sets) {
        List<String> args = new ArrayList<>(List.of("train", jobFile, "--master", "local[1]",
                "--set", "output.dir=" + output(), "--set", "train.epochs=1", "--set", "train.workers=1"));
        for (String s : sets) {
            args.add("--set");
            args.add(s);
        }
        return args.toArray(String[]::new);
    }

    /** The single published run under {@link #output()}. */
    public Path publishedRun() throws IOException {
        try (Stream<Path> jobs = Files.list(output())) {
            List<Path> runs = new ArrayList<>();
            for (Path job : jobs.toList())
                try (Stream<Path> r = Files.list(job)) {
                    r.filter(p -> !p.getFileName().toString().startsWith(".")).forEach(runs::add);
                }
            if (runs.size() != 1) throw new AssertionError("expected one published run, found " + runs);
            return runs.get(0);
        }
    }

    /** A copy, under {@code name}, of a trained SMS classifier's run directory. */
    public Path classifierRun(String name) throws IOException {
        return copyTree(TrainedRuns.CLASSIFIER.get(), root.resolve(name));
    }

    /** A copy, under {@code name}, of a trained Moby Dick character model's run directory. */
    public Path languageModelRun(String name) throws IOException {
        return copyTree(TrainedRuns.LANGUAGE_MODEL.get(), root.resolve(name));
    }

    private static Path copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
        return to;
    }

    /** Small runs trained once per JVM through the command line itself, shared read-only by the rows. */
    enum TrainedRuns {
        CLASSIFIER(SMS_JOB), LANGUAGE_MODEL(MOBY_JOB);

        private final String job;
        private Path run;

        TrainedRuns(String job) {
            this.job = job;
        }

        synchronized Path get() {
            if (run != null) return run;
            try {
                Workspace ws = new Workspace(Files.createTempDirectory("recur-catalogue-" + name().toLowerCase(java.util.Locale.ROOT)));
                String[] args = ws.trainJob(job, "model.hidden-size=16");
                int code = Main.run(args);
                if (code != 0) throw new IllegalStateException("training the shared " + name() + " run failed with exit "
                        + code + ": " + Arrays.toString(args));
                run = ws.publishedRun();
                return run;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
