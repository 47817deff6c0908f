package io.recur.eval;

import io.recur.testing.LocalSpark;
import io.recur.corpus.Example;
import io.recur.corpus.Split;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("spark")
@DisplayName("MostFrequentTag fitted on a five-sentence corpus in local[2]")
class MostFrequentTagTest {
    /** Tag counts: nn 5, at 3, vb 2, vbd 2, in 1, vbz 1; "run" is nn once and vb twice; "saw" vbd once, nn once. */
    private static final List<String> CORPUS = List.of(
            "the/at dog/nn runs/vbz",
            "the/at run/nn ended/vbd",
            "run/vb to/in the/at race/nn",
            "run/vb home/nn",
            "saw/vbd saw/nn");
    private static JavaSparkContext sc;
    private static MostFrequentTag baseline;

    @BeforeAll
    static void fit() {
        sc = LocalSpark.start(MostFrequentTagTest.class);
        List<Example> examples = new ArrayList<>();
        for (String line : CORPUS) {
            List<String> words = new ArrayList<>(), tags = new ArrayList<>();
            for (String pair : line.split(" ")) {
                words.add(pair.substring(0, pair.indexOf('/')));
                tags.add(pair.substring(pair.indexOf('/') + 1));
            }
            examples.add(new Example("corpus:" + examples.size(), null, words, tags, false, Split.TRAIN));
        }
        baseline = MostFrequentTag.fit(sc.parallelize(examples, 2));
    }

    @AfterAll
    static void stopSpark() {
        sc.stop();
    }

    @Test
    void givesAWordItsMostFrequentTrainingTag() {
        assertEquals("vb", baseline.tag("run"));
        assertEquals("at", baseline.tag("the"));
    }

    @Test
    void breaksATieByTheTagThatSortsFirst() {
        assertEquals("nn", baseline.tag("saw"));
    }

    @Test
    void givesAnUnseenWordTheMostFrequentTagOverall() {
        assertEquals("nn", baseline.tag("cat"));
    }

    @Test
    void knowsWhichWordsTheTrainingSplitHad() {
        assertTrue(baseline.seen("ended"));
        assertFalse(baseline.seen("cat"));
    }

    @Test
    void listsTheTagsItCanPredict() {
        assertEquals(Set.of("at", "in", "nn", "vb", "vbd", "vbz"), baseline.tags());
    }
}
