package io.recur.spark.ml;

import io.recur.config.JobSpecLoader;
import io.recur.config.SpecKey;
import org.apache.spark.ml.param.Param;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The estimators' job spec parameters are recur-reference.conf's keys, docs, defaults and checks. */
@DisplayName("the estimators' spec parameters")
class SpecParamsTest {
    private static SpecKey declared(String key) {
        return JobSpecLoader.declarations().stream().filter(k -> k.key().equals(key)).findFirst().orElseThrow();
    }

    private static Set<String> names(Param<?>[] params) {
        return Arrays.stream(params).map(Param::name).collect(Collectors.toSet());
    }

    @Test
    void takeTheDocAndDefaultOfTheReferenceFile() {
        RecurClassifier classifier = new RecurClassifier();
        Param<?> hidden = classifier.getParam("model.hidden-size");
        assertAll(
                () -> assertTrue(hidden.doc().startsWith("Units per recurrent layer"), hidden.doc()),
                () -> assertEquals(declared("model.hidden-size").doc(), hidden.doc()),
                () -> assertEquals(128, classifier.getSpec("model.hidden-size")),
                () -> assertEquals("lstm", classifier.getSpec("model.cell")));
    }

    @Test
    void coverEveryKeyOfTheSectionsThatDecideTheModel() {
        Set<String> params = names(new RecurTagger().params());
        List<String> missing = JobSpecLoader.declarations().stream().map(SpecKey::key)
                .filter(k -> k.startsWith("model.") || k.startsWith("train.") || k.startsWith("vocab.") || k.startsWith("split."))
                .filter(k -> !params.contains(k)).toList();
        assertEquals(List.of(), missing);
    }

    @Test
    void leaveOutTheKeysTheStageDecides() {
        Set<String> params = names(new RecurClassifier().params());
        for (String key : List.of("job.task", "corpus.path", "corpus.format", "corpus.source", "corpus.columns.text",
                "corpus.where", "corpus.csv.header", "corpus.join-lines", "corpus.tag-simplify", "spark.master",
                "registry.dir", "warm-start.vocab-policy", "bakeoff.cells", "synthetic.steps"))
            assertFalse(params.contains(key), key);
        assertTrue(names(new RecurTagger().params()).contains("corpus.tag-simplify"));
    }

    private static final StructType SMS = new StructType().add("label", DataTypes.StringType).add("text", DataTypes.StringType);

    @Test
    void rejectAValueWithTheMessageOfTheSpecsCheckWhenTheSchemaIsChecked() {
        RecurClassifier classifier = new RecurClassifier().setSpec("model.hidden-size", 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> classifier.transformSchema(SMS));
        assertEquals("RecurClassifier " + classifier.uid() + ": model.hidden-size = 0: out of range; expected a whole number"
                + " from 1 to 8192", e.getMessage());
    }

    @Test
    void applyTheSpecsRulesBetweenKeys() {
        RecurClassifier classifier = new RecurClassifier().setSpec("split.train", 0.7);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> classifier.transformSchema(SMS));
        assertTrue(e.getMessage().contains("but the fractions must sum to 1"), e.getMessage());
        assertEquals(SMS.size() + 2, classifier.setSpec("split.validation", 0.2).transformSchema(SMS).size());
    }

    @Test
    void rejectAValueNoJobFileCouldWrite() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RecurClassifier().setSpec("model.layers", new int[]{2}));
        assertTrue(e.getMessage().startsWith("model.layers = "), e.getMessage());
        assertTrue(e.getMessage().endsWith("expected a number, boolean, string or list of strings"), e.getMessage());
    }

    @Test
    void rejectAKeyTheEstimatorDoesNotTakeListingThoseItTakes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RecurClassifier().setSpec("corpus.path", "x"));
        assertTrue(e.getMessage().startsWith("corpus.path: not a job spec key RecurClassifier takes; it takes "), e.getMessage());
        assertTrue(e.getMessage().contains("model.hidden-size"), e.getMessage());
    }

    @Test
    void checkAValueAgainstTheTaskOfTheEstimator() {
        // The spec's own rule between keys: a classifier may be bidirectional, a tagger's corpus may simplify tags.
        assertEquals(SMS.size() + 2, new RecurClassifier().setSpec("model.bidirectional", true).transformSchema(SMS).size());
        StructType brown = new StructType().add("tokens", DataTypes.createArrayType(DataTypes.StringType))
                .add("tags", DataTypes.createArrayType(DataTypes.StringType));
        assertEquals(brown.size() + 1, new RecurTagger().setSpec("corpus.tag-simplify", true).transformSchema(brown).size());
    }
}
