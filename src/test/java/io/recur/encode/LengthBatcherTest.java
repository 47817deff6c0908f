package io.recur.encode;

import io.recur.corpus.Example;
import io.recur.corpus.Split;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("LengthBatcher on the SMS spam slice")
class LengthBatcherTest {
    private static List<Example> sms;

    @BeforeAll
    static void readSlice() throws IOException {
        sms = new ArrayList<>();
        try (InputStream in = LengthBatcherTest.class.getResourceAsStream("/corpus/sms-spam-slice.tsv")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i < lines.length; i++) {
                String[] parts = lines[i].split("\t", 2);
                sms.add(new Example("sms-spam-slice.tsv:" + (i + 1), parts[0],
                        Arrays.asList(parts[1].trim().split(" +")), null, false, Split.TRAIN));
            }
        }
    }

    private static double padding(List<List<Example>> batches) {
        long steps = 0, real = 0;
        for (List<Example> b : batches) {
            int max = b.stream().mapToInt(e -> e.tokens().size()).max().orElse(0);
            steps += (long) max * b.size();
            real += b.stream().mapToInt(e -> e.tokens().size()).sum();
        }
        return 1.0 - (double) real / steps;
    }

    @Test
    void bucketingCutsPaddingToAThirdOfWhatArrivalOrderWastes() {
        double bucketed = padding(new LengthBatcher(32, true, e -> e.tokens().size()).batches(sms.iterator(), 1));
        double unbucketed = padding(new LengthBatcher(32, false, e -> e.tokens().size()).batches(sms.iterator(), 1));
        assertTrue(bucketed < unbucketed / 3, "bucketed padding " + bucketed + " vs unbucketed " + unbucketed);
    }

    @Test
    void keepsEveryExampleOnce() {
        var batches = new LengthBatcher(32, true, e -> e.tokens().size()).batches(sms.iterator(), 1);
        assertEquals(sms.size(), batches.stream().mapToInt(List::size).sum());
        assertEquals(sms.size(), batches.stream().flatMap(List::stream).map(Example::source).distinct().count());
    }

    @Test
    void givesTheSameBatchesForTheSameSeedWhateverTheArrivalOrder() {
        var reversed = new ArrayList<>(sms);
        java.util.Collections.reverse(reversed);
        var batcher = new LengthBatcher(32, true, e -> e.tokens().size());
        assertEquals(batcher.batches(sms.iterator(), 7), batcher.batches(reversed.iterator(), 7));
    }
}
