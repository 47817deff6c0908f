package io.recur.corpus;

import io.recur.config.SplitSpec;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("StableSplit")
class StableSplitTest {
    private static final SplitSpec EIGHTY_TEN_TEN = new SplitSpec(0.8, 0.1, 0.1);

    /** The documented rule, computed another way: first 8 bytes of SHA-256 as an unsigned fraction of 2^64. */
    private static Split byDocumentedRule(String line, SplitSpec spec) throws NoSuchAlgorithmException {
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(line.getBytes(StandardCharsets.UTF_8));
        BigDecimal u = new BigDecimal(new BigInteger(1, Arrays.copyOf(sha, 8)))
                .divide(new BigDecimal(BigInteger.ONE.shiftLeft(64)), MathContext.DECIMAL128);
        if (u.compareTo(BigDecimal.valueOf(spec.trainFraction())) < 0) return Split.TRAIN;
        if (u.compareTo(BigDecimal.valueOf(spec.trainFraction() + spec.validationFraction())) < 0) return Split.VALIDATION;
        return Split.TEST;
    }

    @Test
    void assignsRealLinesByFirstEightBytesOfSha256() throws IOException, URISyntaxException, NoSuchAlgorithmException {
        List<String> lines = Files.readAllLines(Path.of(getClass().getResource("/corpus-reader/sms-labeled.tsv").toURI()));
        StableSplit split = new StableSplit(EIGHTY_TEN_TEN);
        for (String line : lines)
            assertEquals(byDocumentedRule(line, EIGHTY_TEN_TEN), split.assign(line), line);
    }

    @Test
    void givesDuplicateLinesTheSameSplitFromSeparateInstances() {
        String line = "ham\tok lar joke wif oni";
        assertEquals(new StableSplit(EIGHTY_TEN_TEN).assign(line), new StableSplit(EIGHTY_TEN_TEN).assign(line));
    }

    @Test
    void honoursTheFractionsOnManyLines() {
        StableSplit split = new StableSplit(EIGHTY_TEN_TEN);
        Map<Split, Integer> counts = new EnumMap<>(Split.class);
        int n = 20_000;
        for (int i = 0; i < n; i++) counts.merge(split.assign("line " + i), 1, Integer::sum);
        assertEquals(0.8, counts.get(Split.TRAIN) / (double) n, 0.015);
        assertEquals(0.1, counts.get(Split.VALIDATION) / (double) n, 0.015);
        assertEquals(0.1, counts.get(Split.TEST) / (double) n, 0.015);
    }

    @Test
    void putsEverythingInTrainWhenItsFractionIsOne() {
        StableSplit split = new StableSplit(new SplitSpec(1.0, 0.0, 0.0));
        for (int i = 0; i < 1000; i++) assertEquals(Split.TRAIN, split.assign("line " + i));
    }

    @Test
    void mapsLinesIntoTheUnitInterval() {
        for (int i = 0; i < 1000; i++) {
            double u = StableSplit.unitHash("line " + i);
            assertTrue(u >= 0 && u < 1, "line " + i + " -> " + u);
        }
    }

    @org.junit.jupiter.api.Nested
    @DisplayName("train subset")
    class TrainSubset {
        private final List<Example> examples = sms();

        private List<Example> sms() {
            try {
                Path slice = Path.of(getClass().getResource("/corpus/sms-spam-slice.tsv").toURI());
                return Files.readAllLines(slice, StandardCharsets.UTF_8).stream().filter(l -> l.contains("\t"))
                        .map(l -> new Example("slice", l.substring(0, l.indexOf('\t')),
                                List.of(l.substring(l.indexOf('\t') + 1).split(" +")), null, false, Split.TRAIN))
                        .toList();
            } catch (IOException | URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }

        private List<Example> kept(double subset) {
            return examples.stream().filter(e -> StableSplit.inTrainSubset(e, subset)).toList();
        }

        @Test
        void keepsASmallerShareInsideALargerOne() {
            List<Example> quarter = kept(0.25);
            List<Example> half = kept(0.5);
            assertTrue(half.containsAll(quarter));
            assertTrue(kept(1.0).containsAll(half));
        }

        @Test
        void keepsAboutTheShareAsked() {
            assertTrue(examples.size() > 200, "the slice has " + examples.size() + " examples");
            for (double share : new double[]{0.05, 0.2, 0.5}) {
                double kept = kept(share).size() / (double) examples.size();
                // Binomial: within 4 standard deviations.
                assertEquals(share, kept, 4 * Math.sqrt(share * (1 - share) / examples.size()), "share " + share);
            }
        }

        @Test
        void keepsEverythingAtOne() {
            assertEquals(examples, kept(1.0));
        }

        @Test
        void choosesByContentNotByPositionOrSource() {
            Example e = examples.get(0);
            Example elsewhere = new Example("other.tsv:99", e.label(), e.tokens(), null, false, Split.TRAIN);
            for (double share : new double[]{0.1, 0.3, 0.7})
                assertEquals(StableSplit.inTrainSubset(e, share), StableSplit.inTrainSubset(elsewhere, share));
        }
    }
}
