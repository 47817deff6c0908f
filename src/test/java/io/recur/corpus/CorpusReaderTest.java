package io.recur.corpus;

import io.recur.testing.LocalSpark;
import io.recur.config.CorpusFormat;
import io.recur.config.CorpusSpec;
import io.recur.config.SplitSpec;
import io.recur.config.TokenizerKind;
import io.recur.config.UserInputException;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("spark")
@DisplayName("CorpusReader")
class CorpusReaderTest {
    private static final SplitSpec ALL_TRAIN = new SplitSpec(1.0, 0.0, 0.0);
    private static final SplitSpec SIXTY_TWENTY_TWENTY = new SplitSpec(0.6, 0.2, 0.2);
    private static JavaSparkContext sc;

    @BeforeAll
    static void startSpark() {
        // Kryo, as in the training job, so every record that is shuffled or returned must survive it.
        sc = LocalSpark.start(CorpusReaderTest.class);
    }

    @AfterAll
    static void stopSpark() {
        sc.stop();
    }

    static Path fixture(String name) {
        try {
            return Path.of(CorpusReaderTest.class.getResource("/corpus-reader/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CorpusSpec spec(CorpusFormat format, TokenizerKind tokenizer, double maxBadFraction, Object... paths) {
        return new CorpusSpec(paths(paths), format, tokenizer, false, 1000, maxBadFraction);
    }

    private static List<String> paths(Object... paths) {
        List<String> strings = new ArrayList<>();
        for (Object p : paths) strings.add(p.toString());
        return strings;
    }

    private static Corpus read(CorpusSpec spec) {
        return CorpusReader.read(sc, spec, ALL_TRAIN);
    }

    /** Examples sorted by file, then line number. */
    private static List<Example> sorted(Corpus corpus) {
        return corpus.examples().collect().stream()
                .sorted(Comparator.comparing((Example e) -> e.source().substring(0, e.source().lastIndexOf(':')))
                        .thenComparingLong(CorpusReaderTest::lineNo))
                .toList();
    }

    private static long lineNo(Example e) {
        return Long.parseLong(e.source().substring(e.source().lastIndexOf(':') + 1));
    }

    /** Each example's split keyed by its content (label and tokens), which is what the hash sees. */
    private static Map<String, Split> splitsByContent(Corpus corpus) {
        return corpus.examples().collect().stream()
                .collect(Collectors.toMap(e -> e.label() + "\t" + String.join(" ", e.tokens()), Example::split, (a, b) -> a));
    }

    private static List<String> lines(String fixture) throws IOException {
        return Files.readAllLines(fixture(fixture), StandardCharsets.UTF_8);
    }

    @Nested
    @DisplayName("line formats")
    class Formats {
        @Test
        void tokenizesWholeLinesInTextFormat() throws IOException {
            List<Example> examples = sorted(read(spec(CorpusFormat.TEXT, TokenizerKind.WHITESPACE, 0, fixture("sms-text.txt"))));
            List<String> lines = lines("sms-text.txt");
            assertEquals(lines.size(), examples.size());
            for (int i = 0; i < lines.size(); i++)
                assertEquals(List.of(lines.get(i).split(" ")), examples.get(i).tokens());
        }

        @Test
        void separatesLabelFromTextInLabeledFormat() throws IOException {
            List<Example> examples = sorted(read(spec(CorpusFormat.LABELED, TokenizerKind.WHITESPACE, 0, fixture("sms-labeled.tsv"))));
            List<String> lines = lines("sms-labeled.tsv");
            assertEquals(lines.size(), examples.size());
            for (int i = 0; i < lines.size(); i++) {
                String[] parts = lines.get(i).split("\t");
                assertEquals(parts[0], examples.get(i).label());
                assertEquals(List.of(parts[1].split(" ")), examples.get(i).tokens());
                assertEquals(null, examples.get(i).tags());
            }
        }

        @Test
        void splitsTaggedTokensAtTheirLastSlash() {
            List<Example> examples = sorted(read(spec(CorpusFormat.TAGGED, TokenizerKind.WHITESPACE, 0, fixture("tagged.txt"))));
            Example second = examples.get(1);
            assertAll(
                    () -> assertEquals(List.of("Add", "1/2", "cup", "of", "flour", "."), second.tokens()),
                    () -> assertEquals(List.of("VB", "CD", "NN", "IN", "NN", "."), second.tags()));
        }

        @Test
        void lowerCasesTaggedWordsButNotTags() {
            CorpusSpec lower = new CorpusSpec(paths(fixture("tagged.txt")), CorpusFormat.TAGGED, TokenizerKind.WORD, true, 1000, 0);
            Example first = sorted(read(lower)).get(0);
            assertEquals(List.of("the", "cat", "sat", "on", "the", "mat", "."), first.tokens());
            assertEquals(List.of("DT", "NN", "VBD", "IN", "DT", "NN", "."), first.tags());
        }

        @Test
        void countsBlankLinesAsEmptyNotBad() {
            CorpusStats stats = read(spec(CorpusFormat.TAGGED, TokenizerKind.WHITESPACE, 0, fixture("tagged.txt"))).stats();
            assertEquals(1, stats.skippedEmpty());
            assertEquals(0, stats.skippedBad());
            assertEquals(3, stats.examples());
        }

        @Test
        void appliesTheConfiguredTokenizerToLabeledText() {
            CorpusSpec chars = new CorpusSpec(paths(fixture("sms-labeled.tsv")), CorpusFormat.LABELED, TokenizerKind.CHAR, false, 1000, 0);
            Example second = sorted(read(chars)).get(1);
            assertEquals(List.of("o", "k", " ", "l", "a", "r", " ", "j", "o", "k", "e", " ", "w", "i", "f", " ", "o", "n", "i"),
                    second.tokens());
        }

        @Test
        void namesFileAndLineAsEachExamplesSource() {
            List<Example> examples = sorted(read(spec(CorpusFormat.TEXT, TokenizerKind.WHITESPACE, 0, fixture("sms-text.txt"))));
            for (int i = 0; i < examples.size(); i++)
                assertTrue(examples.get(i).source().endsWith(fixture("sms-text.txt") + ":" + (i + 1)), examples.get(i).source());
        }

        @Test
        void truncatesLongSequencesAndCountsThem() throws IOException {
            int max = 8;
            CorpusSpec shortSpec = new CorpusSpec(paths(fixture("sms-labeled.tsv")), CorpusFormat.LABELED, TokenizerKind.WHITESPACE, false, max, 0);
            Corpus corpus = read(shortSpec);
            long longLines = lines("sms-labeled.tsv").stream().filter(l -> l.split("\t")[1].split(" ").length > max).count();
            List<Example> examples = sorted(corpus);
            assertAll(
                    () -> assertTrue(longLines > 0, "fixture needs lines longer than " + max),
                    () -> assertTrue(examples.stream().allMatch(e -> e.tokens().size() <= max)),
                    () -> assertEquals(longLines, examples.stream().filter(Example::truncated).count()),
                    () -> assertEquals(longLines, corpus.stats().split(Split.TRAIN).truncated()));
        }

        @Test
        void truncatesTagsWithTheirTokens() {
            CorpusSpec shortSpec = new CorpusSpec(paths(fixture("tagged.txt")), CorpusFormat.TAGGED, TokenizerKind.WHITESPACE, false, 2, 0);
            Example first = sorted(read(shortSpec)).get(0);
            assertEquals(List.of("The", "cat"), first.tokens());
            assertEquals(List.of("DT", "NN"), first.tags());
        }
    }

    @Nested
    @DisplayName("malformed lines")
    class BadLines {
        private final String badFile = fixture("labeled-bad.tsv").toString();

        private Corpus readBad() {
            return read(spec(CorpusFormat.LABELED, TokenizerKind.WHITESPACE, 1.0, badFile));
        }

        @Test
        void reportsEachFaultWithFileAndLineInOrder() {
            List<String> bad = readBad().stats().badExamples();
            assertEquals(4, bad.size(), bad.toString());
            assertAll(
                    () -> assertTrue(bad.get(0).endsWith(badFile + ":2: no tab (expected label<TAB>text)"), bad.get(0)),
                    () -> assertTrue(bad.get(1).endsWith(badFile + ":3: empty label before the tab"), bad.get(1)),
                    () -> assertTrue(bad.get(2).endsWith(badFile + ":4: undecodable UTF-8"), bad.get(2)),
                    () -> assertTrue(bad.get(3).endsWith(badFile + ":8: empty label before the tab"), bad.get(3)));
        }

        @Test
        void countsBadLinesByReason() {
            assertEquals(Map.of("no tab", 1L, "empty label", 2L, "undecodable UTF-8", 1L), readBad().stats().badReasons());
        }

        @Test
        void skipsBlankLinesAndLinesWithoutTokensAsEmpty() {
            assertEquals(2, readBad().stats().skippedEmpty());
        }

        @Test
        void keepsOnlyTheGoodLines() {
            assertEquals(List.of(1L, 7L, 9L, 10L), sorted(readBad()).stream().map(CorpusReaderTest::lineNo).toList());
        }

        @Test
        void dropsCarriageReturnsOfCrlfLines() {
            List<String> tokens = sorted(readBad()).get(0).tokens();
            assertEquals("wat", tokens.get(tokens.size() - 1));
        }

        @Test
        void countsALineLongerThanMaxLineBytesAsMalformedAndReadsOn(@TempDir Path tmp) throws IOException {
            // 16 bytes is the limit: "a " * 8 is exactly 16, one more byte is over.
            Path file = Files.writeString(tmp.resolve("long.txt"), "first line\n" + "a ".repeat(8) + "b\n" + "last line\n");
            Corpus corpus = read(spec(CorpusFormat.TEXT, TokenizerKind.WHITESPACE, 1.0, file).withMaxLineBytes(16));
            assertEquals(Map.of("longer than corpus.max-line-bytes", 1L), corpus.stats().badReasons());
            assertEquals(List.of(1L, 3L), sorted(corpus).stream().map(CorpusReaderTest::lineNo).toList());
        }

        @Test
        void keepsACrlfLineOfExactlyMaxLineBytes(@TempDir Path tmp) throws IOException {
            Path file = Files.writeString(tmp.resolve("crlf.txt"), "a ".repeat(8) + "\r\n" + "a ".repeat(8));
            Corpus corpus = read(spec(CorpusFormat.TEXT, TokenizerKind.WHITESPACE, 0, file).withMaxLineBytes(16));
            assertEquals(2, corpus.stats().examples());
        }

        @Test
        void countsALineWithANulByteAsMalformed(@TempDir Path tmp) throws IOException {
            Path file = Files.writeString(tmp.resolve("nul.txt"), "good line\nbad\0line\nanother good line\n");
            Corpus corpus = read(spec(CorpusFormat.TEXT, TokenizerKind.WHITESPACE, 1.0, file));
            assertEquals(Map.of("NUL byte", 1L), corpus.stats().badReasons());
        }

        @Test
        void namesTheTaggedTokenThatLacksAWordOrTag() {
            String file = fixture("tagged-bad.txt").toString();
            List<String> bad = read(spec(CorpusFormat.TAGGED, TokenizerKind.WHITESPACE, 1.0, file)).stats().badExamples();
            assertEquals(3, bad.size(), bad.toString());
            assertAll(
                    () -> assertTrue(bad.get(0).endsWith(file + ":2: token 'sat' is not word/TAG"), bad.get(0)),
                    () -> assertTrue(bad.get(1).endsWith(file + ":3: token 'mat/' is not word/TAG"), bad.get(1)),
                    () -> assertTrue(bad.get(2).endsWith(file + ":4: token '/NN' is not word/TAG"), bad.get(2)));
        }

        @Test
        void listsTheFirstFiveBadLinesSortedByFileThenLine(@TempDir Path tmp) throws IOException {
            Path a = Files.writeString(tmp.resolve("a.tsv"), "x\ny\nz\nw\n");
            Path b = Files.writeString(tmp.resolve("b.tsv"), "p\nq\nham\tok\n");
            List<String> bad = read(spec(CorpusFormat.LABELED, TokenizerKind.WHITESPACE, 1.0, b, a)).stats().badExamples();
            assertEquals(List.of(a + ":1", a + ":2", a + ":3", a + ":4", b + ":1"),
                    bad.stream().map(s -> s.substring(s.indexOf(tmp.toString()), s.lastIndexOf(": no tab"))).toList());
        }

        @Test
        void failsAboveMaxBadFractionListingTheLines() {
            CorpusException e = assertThrows(CorpusException.class,
                    () -> read(spec(CorpusFormat.LABELED, TokenizerKind.WHITESPACE, 0.1, badFile)));
            assertAll(
                    () -> assertTrue(e.getMessage().contains("4 of 10 lines are malformed"), e.getMessage()),
                    () -> assertTrue(e.getMessage().contains("corpus.max-bad-fraction 0.1"), e.getMessage()),
                    () -> assertTrue(e.getMessage().contains(badFile + ":2: no tab"), e.getMessage()),
                    () -> assertTrue(e.getMessage().contains(badFile + ":4: undecodable UTF-8"), e.getMessage()));
        }

        @Test
        void acceptsABadFractionEqualToTheLimit() {
            assertEquals(4, read(spec(CorpusFormat.LABELED, TokenizerKind.WHITESPACE, 0.4, badFile)).stats().examples());
        }

        @Test
        void isAUserInputError() {
            assertInstanceOf(UserInputException.class, assertThrows(CorpusException.class,
                    () -> read(spec(CorpusFormat.LABELED, TokenizerKind.WHITESPACE, 0.0, badFile))));
        }
    }

    @Nested
    @DisplayName("file systems and paths")
    class Sources {
        @Test
        void readsGzipFilesLikePlainOnes() {
            List<Example> plain = sorted(read(spec(CorpusFormat.LABELED, TokenizerKind.WHITESPACE, 0, fixture("sms-labeled.tsv"))));
            List<Example> gz = sorted(read(spec(CorpusFormat.LABELED, TokenizerKind.WHITESPACE, 0, fixture("sms-labeled.tsv.gz"))));
            assertEquals(plain.size(), gz.size());
            for (int i = 0; i < plain.size(); i++) {
                assertEquals(plain.get(i).tokens(), gz.get(i).tokens());
                assertEquals(plain.get(i).label(), gz.get(i).label());
                assertEquals(plain.get(i).split(), gz.get(i).split());
            }
        }

        @Test
        void countsCompressedBytesAsStored() throws IOException {
            CorpusStats stats = read(spec(CorpusFormat.LABELED, TokenizerKind.WHITESPACE, 0, fixture("sms-labeled.tsv.gz"))).stats();
            assertEquals(Files.size(fixture("sms-labeled.tsv.gz")), stats.bytes());
        }

        @Test
        void readsADirectoryRecursivelySkippingHiddenFiles() {
            Corpus corpus = read(spec(CorpusFormat.TEXT, TokenizerKind.WHITESPACE, 0, fixture("sms-dir")));
            assertEquals(3, corpus.stats().files());
            assertEquals(10, corpus.stats().lines());
        }

        @Test
        void readsTheFilesAGlobMatches() {
            Corpus corpus = read(spec(CorpusFormat.TEXT, TokenizerKind.WHITESPACE, 0, fixture("sms-dir") + "/part-*"));
            assertEquals(2, corpus.stats().files());
            assertEquals(7, corpus.stats().examples());
        }

        @Test
        void readsThroughAFileUri() {
            String uri = fixture("sms-text.txt").toUri().toString();
            assertTrue(uri.startsWith("file:"), uri);
            assertEquals(10, read(spec(CorpusFormat.TEXT, TokenizerKind.WHITESPACE, 0, uri)).stats().examples());
        }

        @Test
        void readsAFileListedTwiceOnce() {
            Path file = fixture("sms-text.txt");
            assertEquals(1, read(spec(CorpusFormat.TEXT, TokenizerKind.WHITESPACE, 0, file, file.toUri())).stats().files());
        }

        @Test
        void namesAPathThatDoesNotExist(@TempDir Path tmp) {
            String missing = tmp.resolve("nope.txt").toString();
            CorpusException e = assertThrows(CorpusException.class,
                    () -> read(spec(CorpusFormat.TEXT, TokenizerKind.WHITESPACE, 0, fixture("sms-text.txt"), missing)));
            assertTrue(e.getMessage().startsWith("corpus.path: no such file or directory: " + missing), e.getMessage());
        }

        @Test
        void namesAGlobThatMatchesNothing(@TempDir Path tmp) {
            String glob = tmp + "/*.tsv";
            CorpusException e = assertThrows(CorpusException.class,
                    () -> read(spec(CorpusFormat.TEXT, TokenizerKind.WHITESPACE, 0, glob)));
            assertTrue(e.getMessage().contains("no such file or directory: " + glob), e.getMessage());
        }

        @Test
        void refusesAUtf16FileNamingItAndItsEncoding(@TempDir Path tmp) throws IOException {
            Path file = Files.write(tmp.resolve("u16.txt"), "one line\nanother line\n".getBytes(StandardCharsets.UTF_16));
            CorpusException e = assertThrows(CorpusException.class,
                    () -> read(spec(CorpusFormat.TEXT, TokenizerKind.WHITESPACE, 1.0, file)));
            assertTrue(e.getMessage().startsWith("file:" + file + ": the file is UTF-16BE"), e.getMessage());
        }

        @Test
        void refusesCorruptGzipAsTheUsersInput(@TempDir Path tmp) throws IOException {
            Path file = Files.writeString(tmp.resolve("plain.txt.gz"), "not compressed at all\n");
            CorpusException e = assertThrows(CorpusException.class,
                    () -> read(spec(CorpusFormat.TEXT, TokenizerKind.WHITESPACE, 1.0, file)));
            assertTrue(e.getMessage().startsWith("file:" + file + ":1: cannot read: "), e.getMessage());
            assertTrue(e.getMessage().contains("not valid .gz data"), e.getMessage());
        }

        @Test
        void refusesALocalPathThatIsNotARegularFile() {
            CorpusException e = assertThrows(CorpusException.class,
                    () -> read(spec(CorpusFormat.TEXT, TokenizerKind.WHITESPACE, 1.0, "/dev/zero")));
            assertTrue(e.getMessage().startsWith("corpus.path: /dev/zero is not a regular file"), e.getMessage());
        }

        @Test
        void namesAPathWithAnUnknownScheme() {
            String uri = "nosuchfs://host/corpus.txt";
            CorpusException e = assertThrows(CorpusException.class,
                    () -> read(spec(CorpusFormat.TEXT, TokenizerKind.WHITESPACE, 0, uri)));
            assertTrue(e.getMessage().startsWith("corpus.path: cannot read " + uri), e.getMessage());
        }

        @Test
        void rejectsADirectoryWithOnlyHiddenFiles(@TempDir Path tmp) throws IOException {
            Files.writeString(tmp.resolve("_SUCCESS"), "");
            CorpusException e = assertThrows(CorpusException.class,
                    () -> read(spec(CorpusFormat.TEXT, TokenizerKind.WHITESPACE, 0, tmp)));
            assertTrue(e.getMessage().contains("contains no files"), e.getMessage());
        }
    }

    @Nested
    @DisplayName("empty results")
    class EmptyResults {
        @Test
        void rejectsACorpusWithoutExamples(@TempDir Path tmp) throws IOException {
            Path blank = Files.writeString(tmp.resolve("blank.txt"), "\n  \n\t\n");
            CorpusException e = assertThrows(CorpusException.class,
                    () -> read(spec(CorpusFormat.TEXT, TokenizerKind.WHITESPACE, 0, blank)));
            assertTrue(e.getMessage().startsWith("corpus is empty"), e.getMessage());
            assertTrue(e.getMessage().contains("3 empty"), e.getMessage());
        }

        @Test
        void rejectsAnEmptySplitNamingItAndTheFractions() throws IOException {
            // A validation slice far narrower than 1/20 of [0, 1): checked below to hold none of the 20 lines.
            double train = 0.5;
            SplitSpec narrow = new SplitSpec(train, 1e-9, 0.5 - 1e-9);
            for (String line : lines("sms-labeled.tsv")) {
                double u = StableSplit.unitHash(line);
                assertTrue(u < train || u >= train + 1e-9, "precondition: no line in the validation slice");
            }
            CorpusException e = assertThrows(CorpusException.class, () -> CorpusReader.read(sc,
                    spec(CorpusFormat.LABELED, TokenizerKind.WHITESPACE, 0, fixture("sms-labeled.tsv")), narrow));
            assertTrue(e.getMessage().startsWith("the validation split is empty"), e.getMessage());
            assertTrue(e.getMessage().contains("raise split.validation"), e.getMessage());
        }

        @Test
        void allowsAnEmptySplitWhoseFractionIsZero() {
            assertEquals(0, read(spec(CorpusFormat.LABELED, TokenizerKind.WHITESPACE, 0, fixture("sms-labeled.tsv")))
                    .split(Split.TEST).count());
        }
    }

    @Nested
    @DisplayName("the stable split")
    class Stability {
        private Corpus readSplit(Object... paths) {
            return CorpusReader.read(sc, spec(CorpusFormat.LABELED, TokenizerKind.WHITESPACE, 0, paths), SIXTY_TWENTY_TWENTY);
        }

        @Test
        void assignsEachLineTheSplitOfItsOwnHash() throws IOException {
            StableSplit rule = new StableSplit(SIXTY_TWENTY_TWENTY);
            List<String> lines = lines("sms-labeled.tsv");
            List<Example> examples = sorted(readSplit(fixture("sms-labeled.tsv")));
            for (int i = 0; i < lines.size(); i++)
                assertEquals(rule.assign(lines.get(i)), examples.get(i).split(), lines.get(i));
        }

        @Test
        void givesTheSameSplitsInTwoRuns() {
            assertEquals(splitsByContent(readSplit(fixture("sms-labeled.tsv"))), splitsByContent(readSplit(fixture("sms-labeled.tsv"))));
        }

        @Test
        void givesTheSameSplitsFromOneFileOrFourPartitions(@TempDir Path tmp) throws IOException {
            List<String> lines = lines("sms-labeled.tsv");
            List<Path> parts = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                List<String> part = new ArrayList<>();
                for (int i = p; i < lines.size(); i += 4) part.add(lines.get(i));
                parts.add(Files.write(tmp.resolve("part-" + p + ".tsv"), part));
            }
            Corpus four = readSplit(parts.toArray());
            assertTrue(four.examples().getNumPartitions() >= 4);
            assertEquals(splitsByContent(readSplit(fixture("sms-labeled.tsv"))), splitsByContent(four));
        }

        @Test
        void keepsOldLinesSplitsWhenTheCorpusGrows(@TempDir Path tmp) throws IOException {
            List<String> lines = lines("sms-labeled.tsv");
            Path before = Files.write(tmp.resolve("before.tsv"), lines.subList(0, 12));
            Path after = Files.write(tmp.resolve("after.tsv"), lines);
            Map<String, Split> old = splitsByContent(readSplit(before));
            Map<String, Split> grown = new HashMap<>(splitsByContent(readSplit(after)));
            grown.keySet().retainAll(old.keySet());
            assertEquals(old, grown);
        }

        @Test
        void putsEveryExampleInExactlyOneSplit() {
            Corpus corpus = readSplit(fixture("sms-labeled.tsv"));
            long total = 0;
            for (Split s : Split.values()) total += corpus.split(s).count();
            assertEquals(corpus.examples().count(), total);
        }
    }

    @Nested
    @DisplayName("text lines joined (corpus.join-lines) and text fields (corpus.field-separator, corpus.text-field)")
    class JoinedAndFields {
        private CorpusSpec joined(int maxSequenceLength) {
            return new CorpusSpec(paths(fixture("wrapped-prose.txt")), CorpusFormat.TEXT, TokenizerKind.CHAR, false,
                    maxSequenceLength, 0, false, 1 << 20, true, "", 1);
        }

        private CorpusSpec verses(boolean joinLines) {
            return new CorpusSpec(paths(fixture("verses.txt")), CorpusFormat.TEXT, TokenizerKind.WHITESPACE, false,
                    1000, 0.5, false, 1 << 20, joinLines, " ", 2);
        }

        private static String join(List<String> lines, int from, int to) {
            return String.join(" ", lines.subList(from, to));
        }

        @Test
        void joinsConsecutiveLinesWhileTheyFitAndEndsAnExampleAtABlankLine() throws IOException {
            List<String> lines = lines("wrapped-prose.txt");
            // Each line has 67-72 characters: two joined with a space fit 150, three do not.
            List<List<String>> expected = List.of(join(lines, 0, 2), join(lines, 2, 4), join(lines, 5, 7), join(lines, 7, 9))
                    .stream().map(text -> new CharTokenizer(false).tokenize(text)).toList();
            List<Example> examples = sorted(read(joined(150)));
            assertEquals(expected, examples.stream().map(Example::tokens).toList());
            assertEquals(List.of(1L, 3L, 6L, 8L), examples.stream().map(CorpusReaderTest::lineNo).toList());
        }

        @Test
        void countsEveryLineOfTheFileWhenLinesAreJoined() throws IOException {
            CorpusStats stats = read(joined(150)).stats();
            assertAll(() -> assertEquals(lines("wrapped-prose.txt").size(), stats.lines()),
                    () -> assertEquals(4, stats.joinedLines()),
                    () -> assertEquals(1, stats.skippedEmpty()));
        }

        @Test
        void keepsALineLongerThanTheLimitAsItsOwnTruncatedExample() {
            Corpus corpus = read(joined(50));
            assertAll(() -> assertEquals(8, corpus.stats().split(Split.TRAIN).read()),
                    () -> assertEquals(8, corpus.stats().split(Split.TRAIN).truncated()),
                    () -> assertEquals(0, corpus.stats().joinedLines()));
        }

        @Test
        void keysTheSplitOfAJoinedExampleOnItsJoinedText() throws IOException {
            List<String> lines = lines("wrapped-prose.txt");
            List<Example> examples = sorted(CorpusReader.read(sc, joined(150), SIXTY_TWENTY_TWENTY, CorpusReader.Use.FOR_SCORING));
            StableSplit rule = new StableSplit(SIXTY_TWENTY_TWENTY);
            assertEquals(List.of(rule.assign(join(lines, 0, 2)), rule.assign(join(lines, 2, 4)),
                            rule.assign(join(lines, 5, 7)), rule.assign(join(lines, 7, 9))),
                    examples.stream().map(Example::split).toList());
        }

        @Test
        void readsTheTextFromItsFieldToTheEndOfTheLine() {
            List<Example> examples = sorted(read(verses(false)));
            assertAll(() -> assertEquals(List.of("In", "the", "beginning", "God", "created", "the", "heaven", "and", "the",
                            "earth."), examples.get(0).tokens()),
                    () -> assertEquals(List.of(1L, 2L, 5L), examples.stream().map(CorpusReaderTest::lineNo).toList()));
        }

        @Test
        void keysTheSplitOfAFieldedLineOnItsTextAlone() throws IOException {
            List<Example> examples = sorted(CorpusReader.read(sc, verses(false), SIXTY_TWENTY_TWENTY, CorpusReader.Use.FOR_SCORING));
            StableSplit rule = new StableSplit(SIXTY_TWENTY_TWENTY);
            String first = lines("verses.txt").get(0);
            assertEquals(rule.assign(first.substring(first.indexOf(' ') + 1)), examples.get(0).split());
        }

        @Test
        void reportsALineWithTooFewFieldsAsMalformedNamingTheKey() {
            CorpusStats stats = read(verses(false)).stats();
            assertAll(() -> assertEquals(1, stats.skippedBad()),
                    () -> assertEquals(1, stats.skippedEmpty()),
                    () -> assertTrue(stats.badExamples().get(0).contains("verses.txt:4: fewer than 2 fields separated by ' '"
                            + " (corpus.text-field = 2)"), stats.badExamples().toString()));
        }

        @Test
        void joinsOnlyTheTextFieldsAndEndsAnExampleAtAMalformedLine() {
            List<Example> examples = sorted(read(verses(true)));
            assertAll(() -> assertEquals(List.of(1L, 5L), examples.stream().map(CorpusReaderTest::lineNo).toList()),
                    () -> assertEquals(List.of("In", "the", "beginning", "God", "created", "the", "heaven", "and", "the",
                            "earth.", "And", "the", "earth", "was", "without", "form,", "and", "void."), examples.get(0).tokens()));
        }
    }

    @Nested
    @DisplayName("statistics")
    class Stats {
        @Test
        void countsExamplesAndTokensPerSplit() {
            Corpus corpus = CorpusReader.read(sc,
                    spec(CorpusFormat.LABELED, TokenizerKind.WHITESPACE, 0, fixture("sms-labeled.tsv")), SIXTY_TWENTY_TWENTY);
            for (Split s : Split.values()) {
                List<Example> inSplit = corpus.split(s).collect();
                assertEquals(inSplit.size(), corpus.stats().split(s).read(), s.name());
                assertEquals(inSplit.stream().mapToLong(e -> e.tokens().size()).sum(), corpus.stats().split(s).tokens(), s.name());
            }
        }

        @Test
        void countsFilesAndBytesAsStored() throws IOException {
            CorpusStats stats = read(spec(CorpusFormat.TEXT, TokenizerKind.WHITESPACE, 0, fixture("sms-dir"))).stats();
            long bytes = 0;
            for (String part : List.of("part-00000", "part-00001", "sub/part-00002")) bytes += Files.size(fixture("sms-dir/" + part));
            assertEquals(3, stats.files());
            assertEquals(bytes, stats.bytes());
        }

        @Test
        void keepsTheFingerprintWhenPathsAreListedInAnotherOrder() {
            Path a = fixture("sms-text.txt");
            Path b = fixture("sms-dir");
            assertEquals(read(spec(CorpusFormat.TEXT, TokenizerKind.WHITESPACE, 0, a, b)).stats().fingerprint(),
                    read(spec(CorpusFormat.TEXT, TokenizerKind.WHITESPACE, 0, b, a)).stats().fingerprint());
        }

        @Test
        void changesTheFingerprintWhenOneByteChanges(@TempDir Path tmp) throws IOException {
            byte[] bytes = Files.readAllBytes(fixture("sms-text.txt"));
            Path file = Files.write(tmp.resolve("corpus.txt"), bytes);
            String before = read(spec(CorpusFormat.TEXT, TokenizerKind.WHITESPACE, 0, file)).stats().fingerprint();
            bytes[5] = (byte) (bytes[5] == 'x' ? 'y' : 'x');
            Files.write(file, bytes);
            assertNotEquals(before, read(spec(CorpusFormat.TEXT, TokenizerKind.WHITESPACE, 0, file)).stats().fingerprint());
        }

        @Test
        void exportsPlainValuesForMetrics() {
            Corpus corpus = read(spec(CorpusFormat.LABELED, TokenizerKind.WHITESPACE, 1.0, fixture("labeled-bad.tsv")));
            Map<String, Object> map = corpus.stats().toMap();
            long tokens = corpus.examples().collect().stream().mapToLong(e -> e.tokens().size()).sum();
            assertEquals(List.of("splits", "lines", "joinedLines", "skippedEmpty", "skippedBad", "badReasons", "badExamples", "files", "bytes",
                    "fingerprint"), List.copyOf(map.keySet()));
            assertEquals(Map.of("read", 4L, "truncated", 0L, "tokens", tokens), ((Map<?, ?>) map.get("splits")).get("train"));
            assertEquals(10L, map.get("lines"));
        }

        @Test
        void partitionsExamplesAtLeastByDefaultParallelism() {
            Corpus corpus = read(spec(CorpusFormat.TEXT, TokenizerKind.WHITESPACE, 0, fixture("sms-text.txt")));
            assertTrue(corpus.examples().getNumPartitions() >= sc.defaultParallelism());
        }
    }
}
