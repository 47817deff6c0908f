package io.recur.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@DisplayName("JobSpecLoader")
class JobSpecLoaderTest {
    /** The smallest valid job: the reference's task (classify) needs a labeled corpus. */
    private static final String MINIMAL = """
            corpus {
              path = "data/sms-spam/sms-spam.tsv"
              format = labeled
            }
            """;

    @TempDir
    Path dir;

    private Path jobFile(String hocon) {
        Path file = dir.resolve("job.conf");
        try {
            Files.writeString(file, hocon);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return file;
    }

    private JobSpec load(String hocon, String... overrides) {
        return JobSpecLoader.load(jobFile(hocon), List.of(overrides));
    }

    private SpecException failure(String hocon, String... overrides) {
        return assertThrows(SpecException.class, () -> load(hocon, overrides));
    }

    /** file:line of the given 1-based line of the job file, as messages name it. */
    private String at(int line) {
        return dir.resolve("job.conf") + ":" + line;
    }

    private static void assertMentions(SpecException e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "message lacks '" + part + "': " + e.getMessage());
        }
    }

    @Nested
    @DisplayName("with only the corpus in the job file")
    class Defaults {
        private final Config reference = ConfigFactory.parseResources(JobSpecLoader.REFERENCE).resolve();

        @Test
        void takesEveryOtherValueFromTheReferenceFile() {
            JobSpec spec = load(MINIMAL);
            assertAll(
                    () -> assertEquals(reference.getString("job.name"), spec.name()),
                    () -> assertEquals(reference.getString("job.task"), spec.task().name().toLowerCase()),
                    () -> assertEquals(reference.getLong("job.seed"), spec.seed()),
                    () -> assertEquals(reference.getString("corpus.tokenizer"), spec.corpus().tokenizer().name().toLowerCase()),
                    () -> assertEquals(reference.getBoolean("corpus.lowercase"), spec.corpus().lowercase()),
                    () -> assertEquals(reference.getInt("corpus.max-sequence-length"), spec.corpus().maxSequenceLength()),
                    () -> assertEquals(reference.getDouble("corpus.max-bad-fraction"), spec.corpus().maxBadFraction()),
                    () -> assertEquals(reference.getDouble("split.train"), spec.split().trainFraction()),
                    () -> assertEquals(reference.getDouble("split.validation"), spec.split().validationFraction()),
                    () -> assertEquals(reference.getDouble("split.test"), spec.split().testFraction()),
                    () -> assertEquals(reference.getInt("vocab.min-count"), spec.vocab().minCount()),
                    () -> assertEquals(reference.getInt("vocab.max-size"), spec.vocab().maxSize()),
                    () -> assertEquals(reference.getString("model.cell"), spec.model().cell().name().toLowerCase()),
                    () -> assertEquals(reference.getInt("model.layers"), spec.model().layers()),
                    () -> assertEquals(reference.getInt("model.hidden-size"), spec.model().hiddenSize()),
                    () -> assertEquals(reference.getInt("model.embedding-size"), spec.model().embeddingSize()),
                    () -> assertEquals(reference.getBoolean("model.bidirectional"), spec.model().bidirectional()),
                    () -> assertEquals(reference.getDouble("model.dropout"), spec.model().dropout()),
                    () -> assertEquals(reference.getDouble("model.l2"), spec.model().l2()),
                    () -> assertEquals(reference.getDouble("model.gradient-clip"), spec.model().gradientClip()),
                    () -> assertEquals(reference.getString("model.updater"), spec.model().updater().name().toLowerCase()),
                    () -> assertEquals(reference.getDouble("model.learning-rate"), spec.model().learningRate()),
                    () -> assertEquals(reference.getInt("train.epochs"), spec.train().epochs()),
                    () -> assertEquals(reference.getInt("train.batch-size"), spec.train().batchSize()),
                    () -> assertEquals(reference.getInt("train.workers"), spec.train().workers()),
                    () -> assertEquals(reference.getInt("train.partitions-per-worker"), spec.train().partitionsPerWorker()),
                    () -> assertEquals(reference.getInt("train.averaging-frequency"), spec.train().averagingFrequencyBatches()),
                    () -> assertEquals(reference.getInt("train.prefetch"), spec.train().prefetchBatches()),
                    () -> assertEquals(reference.getString("train.approach"), spec.train().approach().name().toLowerCase()),
                    () -> assertEquals(reference.getString("train.storage-level"), spec.train().storageLevel()),
                    () -> assertEquals(reference.getInt("train.patience"), spec.train().patienceEpochs()),
                    () -> assertEquals(reference.getBoolean("train.length-bucketing"), spec.train().lengthBucketing()),
                    () -> assertEquals(reference.getDouble("train.target-validation-loss"), spec.train().targetValidationLoss()),
                    () -> assertEquals(reference.getString("output.dir"), spec.output().dir()),
                    () -> assertEquals(reference.getString("output.work-dir"), spec.output().workDir()),
                    () -> assertEquals(reference.getString("spark.master"), spec.spark().master()),
                    () -> assertEquals(Map.of(), spec.spark().conf()));
        }

        @Test
        void readsASingleCorpusPathAsAOneElementList() {
            assertEquals(List.of("data/sms-spam/sms-spam.tsv"), load(MINIMAL).corpus().paths());
        }

        @Test
        void namesTheJobFileAsOrigin() {
            assertEquals(dir.resolve("job.conf").toString(), load(MINIMAL).origin());
        }

        @Test
        void letsTheWorkDirFollowTheOutputDir() {
            JobSpec spec = load(MINIMAL + "output.dir = \"hdfs://nn:8020/recur\"");
            assertEquals("hdfs://nn:8020/recur/.work", spec.output().workDir());
        }
    }

    @Nested
    @DisplayName("with a full job file")
    class JobFile {
        @Test
        void readsABidirectionalTaggerWithSimplifiedTags() {
            JobSpec spec = load("corpus { path = b.txt, format = tagged, tag-simplify = true }\n"
                    + "job.task = tag\nmodel.bidirectional = true");
            assertAll(
                    () -> assertEquals(Task.TAG, spec.task()),
                    () -> assertTrue(spec.corpus().tagSimplify()),
                    () -> assertTrue(spec.model().bidirectional()));
        }

        @Test
        void readsAWhiteSpaceFieldSeparatorAsWritten() {
            JobSpec spec = load("corpus { path = b.txt, field-separator = \" \", text-field = 2 }\njob.task = lm");
            assertAll(() -> assertEquals(" ", spec.corpus().fieldSeparator()),
                    () -> assertEquals(2, spec.corpus().textField()));
        }

        @Test
        void readsAListOfCorpusPaths() {
            JobSpec spec = load("corpus { path = [a.txt, \"hdfs://nn/b/*.gz\"], format = text }\njob.task = lm");
            assertEquals(List.of("a.txt", "hdfs://nn/b/*.gz"), spec.corpus().paths());
        }

        @Test
        void mapsEnumValuesCaseInsensitively() {
            JobSpec spec = load(MINIMAL + "model { cell = GRU, updater = RmsProp }\ntrain.storage-level = memory_and_disk");
            assertAll(
                    () -> assertEquals(Cell.GRU, spec.model().cell()),
                    () -> assertEquals(UpdaterKind.RMSPROP, spec.model().updater()),
                    () -> assertEquals("MEMORY_AND_DISK", spec.train().storageLevel()));
        }

        @Test
        void flattensNestedAndQuotedSparkConfNamesAlike() {
            JobSpec spec = load(MINIMAL + """
                    spark.conf {
                      spark.executor.memory = 4g
                      "spark.task.cpus" = 2
                    }
                    """);
            assertEquals(Map.of("spark.executor.memory", "4g", "spark.task.cpus", "2"), spec.spark().conf());
        }
    }

    @Nested
    @DisplayName("with --set overrides")
    class Overrides {
        @Test
        void letsSetWinOverTheJobFile() {
            assertEquals(3, load(MINIMAL + "model.layers = 2", "model.layers=3").model().layers());
        }

        @Test
        void letsALaterSetWinOverAnEarlierOne() {
            assertEquals(4, load(MINIMAL, "model.layers=3", "model.layers=4").model().layers());
        }

        @Test
        void parsesAQuotedUriAsOneString() {
            JobSpec spec = load(MINIMAL, "corpus.path=\"hdfs://nn:8020/x\"");
            assertEquals(List.of("hdfs://nn:8020/x"), spec.corpus().paths());
        }

        @Test
        void takesAnUnquotedUriLiterally() {
            JobSpec spec = load(MINIMAL, "corpus.path=hdfs://nn:8020/data//x.gz");
            assertEquals(List.of("hdfs://nn:8020/data//x.gz"), spec.corpus().paths());
        }

        @Test
        void parsesAListValue() {
            assertEquals(List.of("a", "b"), load(MINIMAL, "corpus.path=[a,b]").corpus().paths());
        }

        @Test
        void setsASparkSettingByItsFullName() {
            JobSpec spec = load(MINIMAL, "spark.conf.spark.executor.memory=4g");
            assertEquals(Map.of("spark.executor.memory", "4g"), spec.spark().conf());
        }

        @Test
        void resolvesSubstitutionsAfterMerging() {
            assertEquals("elsewhere/.work", load(MINIMAL, "output.dir=elsewhere").output().workDir());
        }

        @Test
        void rejectsASetWithoutEquals() {
            SpecException e = failure(MINIMAL, "model.layers");
            assertMentions(e, "--set model.layers", "key=value");
        }

        @Test
        void namesTheSetArgumentWhenItsValueIsBad() {
            SpecException e = failure(MINIMAL, "model.layers=99");
            assertMentions(e, "--set model.layers=99", "model.layers = 99", "from 1 to 8");
        }
    }

    @Nested
    @DisplayName("with environment variables")
    class Environment {
        @Test
        void substitutesAVariableThatIsSet() {
            String home = System.getenv("HOME");
            assumeTrue(home != null && !home.isBlank(), "HOME is not set");
            assertEquals(home + "/runs", load(MINIMAL + "output.dir = ${?HOME}\"/runs\"").output().dir());
        }

        @Test
        void keepsTheDefaultWhenAnOptionalVariableIsUnset() {
            String unset = "RECUR_TEST_UNSET_" + UUID.randomUUID().toString().replace('-', '_');
            assumeTrue(System.getenv(unset) == null);
            assertEquals("runs", load(MINIMAL + "output.dir = ${?" + unset + "}").output().dir());
        }

        @Test
        void rejectsARequiredVariableThatIsUnsetNamingFileAndLine() {
            String unset = "RECUR_TEST_UNSET_" + UUID.randomUUID().toString().replace('-', '_');
            assumeTrue(System.getenv(unset) == null);
            SpecException e = failure(MINIMAL + "output.dir = ${" + unset + "}");
            assertMentions(e, at(5), unset, "${?");
        }

        @Test
        void reportsCorpusPathMissingWhenItsOptionalVariableIsUnset() {
            String unset = "RECUR_TEST_UNSET_" + UUID.randomUUID().toString().replace('-', '_');
            assumeTrue(System.getenv(unset) == null);
            SpecException e = failure("corpus { path = ${?" + unset + "}, format = labeled }");
            assertMentions(e, dir.resolve("job.conf").toString(), "corpus.path is missing");
        }
    }

    @Nested
    @DisplayName("rejects")
    class Rejects {
        @Test
        void aMisspelledKeySuggestingTheKnownOne() {
            SpecException e = failure(MINIMAL + "model {\n  hiden-size = 256\n}");
            assertMentions(e, at(6), "unknown key model.hiden-size", "did you mean model.hidden-size?");
        }

        @Test
        void aKeyInTheWrongSectionSuggestingWhereItBelongs() {
            SpecException e = failure(MINIMAL + "train.dropout = 0.2");
            assertMentions(e, at(5), "unknown key train.dropout", "did you mean model.dropout?");
        }

        @Test
        void anUnknownSectionListingTheKnownOnes() {
            SpecException e = failure(MINIMAL + "optimizer.momentum = 0.9");
            assertMentions(e, at(5), "unknown key optimizer", "corpus, eval, job, model");
        }

        @Test
        void everyUnknownKeyAtOnce() {
            SpecException e = failure(MINIMAL + "model.hiden-size = 256\ntrain.epoch = 3");
            assertMentions(e, "model.hiden-size", "train.epoch");
        }

        @Test
        void noKeyInsideSparkConf() {
            JobSpec spec = load(MINIMAL + "spark.conf { \"spark.anything.goes\" = yes }");
            assertEquals("yes", spec.spark().conf().get("spark.anything.goes"));
        }

        @Test
        void aSectionReplacedByAPlainValue() {
            SpecException e = failure(MINIMAL + "model = lstm");
            assertMentions(e, at(5), "model = \"lstm\"", "expected a section");
        }

        @Test
        void aValueOfTheWrongType() {
            SpecException e = failure(MINIMAL + "model.layers = two");
            assertMentions(e, at(5), "model.layers = \"two\"", "expected a whole number from 1 to 8");
        }

        @Test
        void aFractionWhereAWholeNumberBelongs() {
            SpecException e = failure(MINIMAL + "train.epochs = 2.5");
            assertMentions(e, at(5), "train.epochs = 2.5", "whole number");
        }

        @Test
        void aValueOutOfRange() {
            SpecException e = failure(MINIMAL + "model.dropout = 1.5");
            assertMentions(e, at(5), "model.dropout = 1.5", "[0, 1)");
        }

        @Test
        void aNegativeTargetValidationLoss() {
            SpecException e = failure(MINIMAL + "train.target-validation-loss = -1");
            assertMentions(e, at(5), "train.target-validation-loss = -1", ">= 0");
        }

        @Test
        void anUnknownEnumValueListingTheAllowedOnes() {
            SpecException e = failure(MINIMAL + "model.cell = lsmt");
            assertMentions(e, at(5), "model.cell = \"lsmt\"", Cell.ids());
        }

        @Test
        void theNoneStorageLevel() {
            SpecException e = failure(MINIMAL + "train.storage-level = NONE");
            assertMentions(e, at(5), "train.storage-level = \"NONE\"", "MEMORY_ONLY");
        }

        @Test
        void aJobNameThatLeavesItsDirectory() {
            SpecException e = failure(MINIMAL + "job.name = \"..\"");
            assertMentions(e, at(5), "job.name = \"..\"", "letters, digits");
        }

        @Test
        void aNullReplacingADefault() {
            SpecException e = failure(MINIMAL + "model.layers = null");
            assertMentions(e, at(5), "model.layers = null", "remove the line");
        }

        @Test
        void aJobWithoutCorpusPathNamingTheJobFile() {
            SpecException e = failure("corpus.format = labeled");
            assertMentions(e, dir.resolve("job.conf").toString(), "corpus.path is missing", "--set corpus.path=");
        }

        @Test
        void anEmptyListOfCorpusPaths() {
            SpecException e = failure("corpus { path = [], format = labeled }");
            assertMentions(e, at(1), "corpus.path = []", "non-empty list");
        }

        @Test
        void splitFractionsThatDoNotSumToOne() {
            SpecException e = failure(MINIMAL + "split { train = 0.8, validation = 0.2, test = 0.1 }");
            assertMentions(e, "split.train + split.validation + split.test", at(5), "sum to 1");
        }

        @Test
        void anEmptyValidationSplit() {
            SpecException e = failure(MINIMAL + "split { train = 0.9, validation = 0, test = 0.1 }");
            assertMentions(e, at(5), "split.validation = 0", "(0, 1]");
        }

        @Test
        void classifyOnATextCorpus() {
            SpecException e = failure("corpus.path = x\njob.task = classify");
            assertMentions(e, at(2), "job.task = classify needs corpus.format = labeled", "corpus.format = text",
                    JobSpecLoader.REFERENCE);
        }

        @Test
        void aLanguageModelOnALabeledCorpus() {
            SpecException e = failure(MINIMAL + "job.task = lm");
            assertMentions(e, at(5), "job.task = lm needs corpus.format = text", at(3));
        }

        @Test
        void aTaggerOnATextCorpus() {
            SpecException e = failure("corpus.path = x\njob.task = tag");
            assertMentions(e, at(2), "job.task = tag needs corpus.format = tagged", "corpus.format = text");
        }

        @Test
        void aTaggedCorpusForAClassifier() {
            SpecException e = failure("corpus { path = x, format = tagged }");
            assertMentions(e, "job.task = classify needs corpus.format = labeled", "corpus.format = tagged", at(1));
        }

        @Test
        void tagSimplificationOfAnUntaggedCorpus() {
            SpecException e = failure(MINIMAL + "corpus.tag-simplify = true");
            assertMentions(e, at(5), "corpus.tag-simplify = true needs corpus.format = tagged", at(3));
        }

        @Test
        void lineJoiningOfALabeledCorpus() {
            SpecException e = failure(MINIMAL + "corpus.join-lines = true");
            assertMentions(e, at(5), "corpus.join-lines applies only to corpus.format = text", "corpus.format = labeled", at(3));
        }

        @Test
        void aTextFieldWithoutAFieldSeparator() {
            SpecException e = failure("corpus.path = x\njob.task = lm\ncorpus.text-field = 2");
            assertMentions(e, at(3), "corpus.text-field = 2 needs a corpus.field-separator");
        }

        @Test
        void anUnquotedFieldSeparatorThatIsNoString() {
            SpecException e = failure("corpus.path = x\njob.task = lm\ncorpus.field-separator = [a]");
            assertMentions(e, at(3), "corpus.field-separator", "expected a quoted string");
        }

        @Test
        void aBidirectionalLanguageModel() {
            SpecException e = failure("corpus.path = x\njob.task = lm\nmodel.bidirectional = true");
            assertMentions(e, at(3), "model.bidirectional = true is only allowed with job.task = classify", at(2));
        }

        @Test
        void aMissingJobFileNamingIt() {
            Path missing = dir.resolve("nope.conf");
            SpecException e = assertThrows(SpecException.class, () -> JobSpecLoader.load(missing, List.of()));
            assertMentions(e, missing.toString(), "does not exist");
        }

        @Test
        void aDirectoryGivenAsJobFile() {
            SpecException e = assertThrows(SpecException.class, () -> JobSpecLoader.load(dir, List.of()));
            assertMentions(e, dir.toString(), "not a readable file");
        }

        @Test
        void aSyntaxErrorNamingFileAndLine() {
            SpecException e = failure(MINIMAL + "model {\n  layers = 2\n");
            assertMentions(e, dir.resolve("job.conf") + ":");
            assertTrue(e.getMessage().matches("(?s).*job\\.conf:\\d+: .*"), e.getMessage());
        }
    }

    @Nested
    @DisplayName("resolved text")
    class ResolvedText {
        private final String unusual = MINIMAL + """
                job { name = sms.v2, seed = -7 }
                corpus.path = [a.tsv, "hdfs://nn:8020/b.tsv.gz"]
                model { cell = GRU, dropout = 0.25, bidirectional = true }
                spark.conf { spark.executor.memory = 4g, "spark.task.cpus" = 2 }
                output.dir = ${?HOME}"/runs"
                """;

        @Test
        void readsBackIntoAnEqualSpec() {
            JobSpec spec = load(unusual, "train.epochs=7");
            assertEquals(spec, JobSpecLoader.fromResolvedText(spec.resolvedText(), spec.origin()));
        }

        @Test
        void holdsNoSubstitutionsOrComments() {
            String text = load(unusual).resolvedText();
            assertFalse(text.contains("${"), text);
            assertFalse(text.contains("#"), text);
        }

        @Test
        void namesItsOriginInErrors() {
            SpecException e = assertThrows(SpecException.class,
                    () -> JobSpecLoader.fromResolvedText(MINIMAL + "model.layers = 0", "runs/x/1/spec.conf"));
            assertMentions(e, "runs/x/1/spec.conf:5", "model.layers = 0");
        }
    }

    @Nested
    class Settings {
        private final Map<String, Object> minimal = Map.of("corpus.path", "data/sms-spam/sms-spam.tsv", "corpus.format", "labeled");

        @Test
        void makeTheSpecOfTheSameJobFile() {
            Map<String, Object> settings = new java.util.HashMap<>(minimal);
            settings.put("model.hidden-size", 32);
            settings.put("model.dropout", 0.25);
            settings.put("corpus.path", List.of("a.tsv", "b.tsv"));
            JobSpec spec = JobSpecLoader.fromSettings(settings, "api");
            JobSpec file = load(MINIMAL + "model { hidden-size = 32, dropout = 0.25 }\ncorpus.path = [a.tsv, b.tsv]\n");
            assertEquals(file.trainingText(), spec.trainingText());
        }

        @Test
        void nameTheOriginAndTheKeyInErrors() {
            Map<String, Object> settings = new java.util.HashMap<>(minimal);
            settings.put("model.layers", 0);
            SpecException e = assertThrows(SpecException.class, () -> JobSpecLoader.fromSettings(settings, "RecurClassifier x"));
            assertTrue(e.getMessage().startsWith("RecurClassifier x: model.layers = 0: out of range"), e.getMessage());
        }

        @Test
        void declarationsGiveEveryKnownKeyWithTheDefaultAndTheCommentAboveIt() {
            List<SpecKey> keys = JobSpecLoader.declarations();
            assertEquals(JobSpecLoader.knownKeys(), keys.stream().map(SpecKey::key).toList());
            SpecKey layers = keys.stream().filter(k -> k.key().equals("model.layers")).findFirst().orElseThrow();
            assertEquals(new SpecKey("model.layers", 1, "Stacked recurrent layers (1..8)."), layers);
            SpecKey workDir = keys.stream().filter(k -> k.key().equals("output.work-dir")).findFirst().orElseThrow();
            assertEquals("runs/.work", workDir.defaultValue(), "resolved");
        }
    }
}
