package io.recur.job;

import io.recur.config.JobSpec;
import io.recur.config.JobSpecLoader;
import io.recur.corpus.Corpus;
import io.recur.corpus.CorpusReader;
import io.recur.corpus.Example;
import io.recur.corpus.Split;
import io.recur.corpus.StableSplit;
import io.recur.testing.LocalSpark;
import io.recur.vocab.Vocabulary;
import io.recur.vocab.WordShape;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("spark")
@DisplayName("CorpusData")
class CorpusDataTest {
    private static final PrintStream DISCARD = new PrintStream(OutputStream.nullOutputStream());
    private static JavaSparkContext sc;

    @BeforeAll
    static void startSpark() {
        sc = LocalSpark.start(CorpusDataTest.class);
    }

    @AfterAll
    static void stopSpark() {
        sc.stop();
    }

    private static CorpusData prepare(JobSpec spec) {
        return new CorpusData(sc, spec, CorpusReader.read(sc, spec.corpus(), spec.split()), null, null, 2, DISCARD);
    }

    @Nested
    @DisplayName("prepared from the Brown slice")
    class BrownSlice {
        private final JobSpec spec = JobSpecLoader.load(Path.of("src/test/resources/jobs/brown-slice.conf"), List.of());

        /**
         * Reading (statistics, then the cached examples), counting tokens and tags, numbering the
         * training examples for balancing, and sizing the two held-out splits: one Spark job each.
         * A pass added only for a console line or recomputing an uncached RDD shows here first.
         */
        @Test
        void launchesAtMostSevenSparkJobs() throws TimeoutException {
            String group = "corpus-data-test-" + System.nanoTime();
            sc.setJobGroup(group, "preparing the Brown slice", false);
            CorpusData data;
            try {
                data = prepare(spec);
            } finally {
                sc.clearJobGroup();
            }
            sc.sc().listenerBus().waitUntilEmpty();
            int jobs = sc.statusTracker().getJobIdsForGroup(group).length;
            data.unpersist();
            assertTrue(jobs <= 7, "preparing launched " + jobs + " Spark jobs");
        }

        @Test
        void countsTheVocabularyOnTheTrainingSplit() {
            Corpus corpus = CorpusReader.read(sc, spec.corpus(), spec.split());
            CorpusData data = new CorpusData(sc, spec, corpus, null, null, 2, DISCARD);
            Map<String, Long> counts = new HashMap<>();
            for (Example e : corpus.split(Split.TRAIN).collect())
                for (String t : e.tokens()) counts.merge(t, 1L, Long::sum);
            List<String> expected = new ArrayList<>(List.of(Vocabulary.PAD, Vocabulary.UNK, Vocabulary.BOS, Vocabulary.EOS));
            counts.entrySet().stream()
                    .filter(c -> c.getValue() >= spec.vocab().minCount())
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .limit(spec.vocab().maxSize())
                    .forEach(c -> expected.add(c.getKey()));
            List<String> actual = data.vocab().tokens();
            data.unpersist();
            assertEquals(expected, actual);
        }

        @Test
        void countsUnknownWordClassesFromTheTokensTooRareToKeep() {
            JobSpec classes = JobSpecLoader.load(Path.of("src/test/resources/jobs/brown-slice.conf"),
                    List.of("vocab.unknown-word-classes=true"));
            Corpus corpus = CorpusReader.read(sc, classes.corpus(), classes.split());
            Map<String, Long> counts = new HashMap<>();
            for (Example e : corpus.split(Split.TRAIN).collect())
                for (String t : e.tokens()) counts.merge(t, 1L, Long::sum);
            int minCount = classes.vocab().minCount();
            Map<String, Long> classCounts = new HashMap<>();
            counts.forEach((token, n) -> {
                if (n < minCount) for (String f : WordShape.features(token)) classCounts.merge(f, n, Long::sum);
            });
            List<String> expected = classCounts.entrySet().stream()
                    .filter(c -> c.getValue() >= minCount)
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .map(c -> Vocabulary.unknownClass(c.getKey()))
                    .toList();
            String rare = counts.entrySet().stream().filter(c -> c.getValue() < minCount).map(Map.Entry::getKey)
                    .sorted().findFirst().orElseThrow();
            CorpusData data = prepare(classes);
            Vocabulary vocab = data.vocab();
            data.unpersist();
            List<String> tokens = vocab.tokens();
            assertTrue(vocab.hasUnknownClasses());
            assertEquals(expected, tokens.subList(tokens.size() - expected.size(), tokens.size()));
            assertTrue(vocab.token(vocab.id(rare)).startsWith("<unk:"), rare + " maps to " + vocab.token(vocab.id(rare)));
        }

        @Test
        void batchesEveryTrainingExampleOnce() {
            Corpus corpus = CorpusReader.read(sc, spec.corpus(), spec.split());
            CorpusData data = new CorpusData(sc, spec, corpus, null, null, 2, DISCARD);
            List<List<Integer>> expected = new ArrayList<>();
            for (Example e : corpus.split(Split.TRAIN).collect()) {
                List<Integer> ids = new ArrayList<>();
                for (int id : data.vocab().encode(e.tokens())) ids.add(id);
                expected.add(ids);
            }
            List<List<Integer>> batched = new ArrayList<>();
            for (DataSet b : data.train().collect()) batched.addAll(sequences(b));
            data.unpersist();
            Comparator<List<Integer>> order = Comparator.comparing(Object::toString);
            expected.sort(order);
            batched.sort(order);
            assertEquals(expected, batched);
        }

        /** The token ids of each example of a batch, read up to the end of its feature mask. */
        private static List<List<Integer>> sequences(DataSet batch) {
            List<List<Integer>> out = new ArrayList<>();
            long steps = batch.getFeatures().size(2);
            for (int i = 0; i < batch.getFeatures().size(0); i++) {
                List<Integer> ids = new ArrayList<>();
                for (int t = 0; t < steps && batch.getFeaturesMaskArray().getDouble(i, t) > 0; t++)
                    ids.add(batch.getFeatures().getInt(i, 0, t));
                out.add(ids);
            }
            return out;
        }
    }

    @Nested
    @DisplayName("prepared from labelled lines, one label of which only held-out lines carry")
    class HeldOutOnlyLabel {
        @TempDir
        Path dir;

        @Test
        void countsTheValidationExamplesWithThatLabelAsUnknown() throws IOException {
            Path file = dir.resolve("labelled.tsv");
            JobSpec spec = JobSpecLoader.load(Path.of("src/test/resources/jobs/sms-slice.conf"),
                    List.of("corpus.path=\"" + file + "\""));
            StableSplit split = new StableSplit(spec.split());
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 200; i++) lines.add((i % 2 == 0 ? "ham" : "spam") + "\tline number " + i + " of " + (i % 7));
            int unknownValidation = 0;
            for (int i = 0; unknownValidation < 3 || i < 40; i++) {
                String line = "eggs\tonly held out " + i;
                Split s = split.assign(line);
                if (s == Split.TRAIN) continue;
                lines.add(line);
                if (s == Split.VALIDATION) unknownValidation++;
            }
            Files.write(file, lines);
            CorpusData data = prepare(spec);
            long unknown = data.unknownValidationLabels();
            data.unpersist();
            assertEquals(unknownValidation, unknown);
        }
    }
}
