package io.recur.synthetic;

import io.recur.corpus.Split;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("SyntheticTask generators")
class SyntheticTaskTest {
    static final long SEED = 42;

    @Nested
    @DisplayName("the adding problem with T = 30")
    class Adding {
        final AddingProblem task = new AddingProblem(30);
        final DataSet batch = task.batch(SEED, Split.TRAIN, 0, 64);

        @Test
        void hasTwoChannelsOfTStepsAndOneTargetPerExample() {
            assertArrayEquals(new long[]{64, 2, 30}, batch.getFeatures().shape());
            assertArrayEquals(new long[]{64, 1}, batch.getLabels().shape());
            assertEquals(64 * 30, batch.getFeaturesMaskArray().sumNumber().intValue());
            assertNull(batch.getLabelsMaskArray());
        }

        @Test
        void marksOneStepInEachHalf() {
            INDArray f = batch.getFeatures();
            for (int i = 0; i < 64; i++) {
                int firstHalf = 0, secondHalf = 0;
                for (int t = 0; t < 30; t++) {
                    double marker = f.getDouble(i, AddingProblem.MARKER, t);
                    assertTrue(marker == 0 || marker == 1, "marker " + marker);
                    if (marker == 1 && t < 15) firstHalf++;
                    if (marker == 1 && t >= 15) secondHalf++;
                }
                assertEquals(1, firstHalf, "example " + i);
                assertEquals(1, secondHalf, "example " + i);
            }
        }

        @Test
        void targetIsTheSumOfTheMarkedValues() {
            INDArray f = batch.getFeatures();
            for (int i = 0; i < 64; i++) {
                double sum = 0;
                for (int t = 0; t < 30; t++)
                    if (f.getDouble(i, AddingProblem.MARKER, t) == 1) sum += f.getDouble(i, AddingProblem.VALUE, t);
                assertEquals(sum, batch.getLabels().getDouble(i, 0), 1e-6);
            }
        }

        @Test
        void valuesLieInTheUnitInterval() {
            INDArray values = batch.getFeatures().get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(AddingProblem.VALUE),
                    org.nd4j.linalg.indexing.NDArrayIndex.all());
            assertTrue(values.minNumber().doubleValue() >= 0 && values.maxNumber().doubleValue() < 1);
        }

        @Test
        void rejectsASequenceTooShortForTwoHalves() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AddingProblem(1));
            assertTrue(e.getMessage().contains("steps"), e.getMessage());
        }
    }

    @Nested
    @DisplayName("copy memory with T = 5")
    class Copy {
        final CopyMemory task = new CopyMemory(5);
        final DataSet batch = task.batch(SEED, Split.TRAIN, 0, 16);

        @Test
        void hasTPlusTwentyStepsOfOneHotInputAndSparseTargets() {
            assertArrayEquals(new long[]{16, 10, 25}, batch.getFeatures().shape());
            assertArrayEquals(new long[]{16, 1, 25}, batch.getLabels().shape());
            assertEquals(16 * 25, batch.getLabelsMaskArray().sumNumber().intValue());
            assertEquals(16 * 25, batch.getFeatures().sumNumber().intValue(), "exactly one symbol per step");
        }

        @Test
        void showsTenSymbolsThenBlanksThenTheDelimiterThenBlanks() {
            for (int i = 0; i < 16; i++) {
                int[] inputs = inputs(batch, i);
                for (int t = 0; t < 10; t++) assertTrue(inputs[t] >= 1 && inputs[t] <= 8, "symbol " + inputs[t]);
                for (int t = 10; t < 14; t++) assertEquals(CopyMemory.BLANK, inputs[t]);
                assertEquals(CopyMemory.DELIMITER, inputs[14]);
                for (int t = 15; t < 25; t++) assertEquals(CopyMemory.BLANK, inputs[t]);
            }
        }

        @Test
        void asksForTheSymbolsInOrderAfterTheDelimiterAndBlankBefore() {
            for (int i = 0; i < 16; i++) {
                int[] inputs = inputs(batch, i);
                for (int t = 0; t < 15; t++) assertEquals(CopyMemory.BLANK, batch.getLabels().getInt(i, 0, t));
                for (int k = 0; k < 10; k++) assertEquals(inputs[k], batch.getLabels().getInt(i, 0, 15 + k));
            }
        }

        private static int[] inputs(DataSet ds, int example) {
            int steps = (int) ds.getFeatures().size(2);
            int[] out = new int[steps];
            for (int t = 0; t < steps; t++)
                for (int c = 0; c < CopyMemory.SYMBOLS; c++) if (ds.getFeatures().getDouble(example, c, t) == 1) out[t] = c;
            return out;
        }
    }

    @Nested
    @DisplayName("example numbering and partitions")
    class Partitions {
        final SyntheticTask task = new AddingProblem(12);

        @Test
        void generatesTheSameExamplesForTheSameSeedAndSplit() {
            assertEquals(task.batch(SEED, Split.TEST, 7, 5).getFeatures(), task.batch(SEED, Split.TEST, 7, 5).getFeatures());
        }

        @Test
        void generatesOtherExamplesForAnotherSeedOrSplit() {
            INDArray base = task.batch(SEED, Split.TEST, 0, 5).getFeatures();
            assertNotEquals(base, task.batch(SEED + 1, Split.TEST, 0, 5).getFeatures());
            assertNotEquals(base, task.batch(SEED, Split.VALIDATION, 0, 5).getFeatures());
        }

        @Test
        void splitsExamplesOverPartitionsWithoutLosingOrRepeatingAny() {
            INDArray whole = task.batch(SEED, Split.TRAIN, 0, 23).getLabels();
            List<Double> fromPartitions = new ArrayList<>();
            for (int p = 0; p < 4; p++)
                for (DataSet ds : task.partition(SEED, Split.TRAIN, 23, 4, p, 2))
                    for (int i = 0; i < ds.numExamples(); i++) fromPartitions.add(ds.getLabels().getDouble(i, 0));
            assertEquals(23, fromPartitions.size());
            for (int i = 0; i < 23; i++) assertEquals(whole.getDouble(i, 0), fromPartitions.get(i), 0.0);
        }

        @Test
        void balancesPartitionsWithinOneExample() {
            int smallest = Integer.MAX_VALUE, largest = 0;
            for (int p = 0; p < 4; p++) {
                int n = task.partition(SEED, Split.TRAIN, 23, 4, p, 4).stream().mapToInt(DataSet::numExamples).sum();
                smallest = Math.min(smallest, n);
                largest = Math.max(largest, n);
            }
            assertTrue(largest - smallest <= 1, smallest + ".." + largest);
        }
    }
}
