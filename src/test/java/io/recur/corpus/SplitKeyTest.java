package io.recur.corpus;

import io.recur.config.CorpusFormat;
import io.recur.config.CorpusSpec;
import io.recur.config.SplitSpec;
import io.recur.config.TokenizerKind;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The split is keyed on a record's canonical fields ({@link CorpusRecord#splitKey}) rather than on
 * the raw line it was once keyed on; on the bundled corpora (data/) the two must agree for every
 * example, so no held-out set of theirs moved.
 */
@DisplayName("the split key of the bundled corpora")
class SplitKeyTest {
    private static final SplitSpec REFERENCE = new SplitSpec(0.8, 0.1, 0.1);

    private static List<String> lines(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        if (file.toString().endsWith(".gz")) in = new GZIPInputStream(in);
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) lines.add(line);
        }
        return lines;
    }

    /** Examples whose split by canonical key differs from the split of their raw line; the examples compared. */
    private static long[] moved(String file, CorpusFormat format, TokenizerKind tokenizer) throws IOException {
        CorpusSpec spec = new CorpusSpec(List.of(file), format, tokenizer, true, 100_000, 0);
        LineParser parser = new LineParser(spec, new RecordLayout(spec, REFERENCE));
        StableSplit raw = new StableSplit(REFERENCE);
        long compared = 0;
        long moved = 0;
        List<String> lines = lines(Path.of(file));
        for (int i = 0; i < lines.size(); i++) {
            if (!(parser.parse(file, i + 1, lines.get(i)) instanceof ReadItem.Parsed p)) continue;
            compared++;
            if (p.example().split() != raw.assign(lines.get(i))) moved++;
        }
        return new long[]{moved, compared};
    }

    private static void assertNoneMoved(String file, CorpusFormat format, TokenizerKind tokenizer, long atLeast)
            throws IOException {
        long[] result = moved(file, format, tokenizer);
        assertTrue(result[1] >= atLeast, file + ": compared only " + result[1] + " examples");
        assertEquals(0, result[0], file + ": examples whose split moved, of " + result[1]);
    }

    @Test
    void keepsEverySmsSpamMessageInItsSplit() throws IOException {
        assertNoneMoved("data/sms-spam/sms-spam.tsv", CorpusFormat.LABELED, TokenizerKind.WHITESPACE, 5_000);
    }

    @Test
    void keepsEveryBrownSentenceInItsSplit() throws IOException {
        assertNoneMoved("data/brown/brown-tagged.txt.gz", CorpusFormat.TAGGED, TokenizerKind.WHITESPACE, 50_000);
    }

    @Test
    void keepsEveryMobyDickLineInItsSplit() throws IOException {
        assertNoneMoved("data/moby-dick/moby-dick.txt", CorpusFormat.TEXT, TokenizerKind.CHAR, 15_000);
    }

    @Test
    void keysALabeledLineAndTheSameRowOfATableAlike() {
        CorpusRecord line = new CorpusRecord("Free entry now", null, "spam", null, CorpusRecord.Origin.line("f", 1));
        CorpusRecord row = new CorpusRecord("Free entry now", null, "spam", null,
                new CorpusRecord.Origin("t.parquet", 7, true, "42", 0));
        assertEquals("spam\tFree entry now", row.splitKey());
        assertEquals(line.splitKey(), row.splitKey());
    }

    @Test
    void keysTaggedTokensAsTheirWordTagPairs() {
        CorpusRecord row = new CorpusRecord(null, List.of("The", "jury"), null, List.of("at", "nn"),
                new CorpusRecord.Origin("t.parquet", 1, true, null, 0));
        assertEquals("The/at jury/nn", row.splitKey());
    }
}
