package io.recur.eval;

import io.recur.config.Task;
import io.recur.corpus.Split;
import io.recur.synthetic.AddingProblem;
import io.recur.synthetic.CopyMemory;
import io.recur.task.TaskKind;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@DisplayName("metrics of the synthetic tasks, scored from generated data")
class SyntheticMetricsTest {
    static final long SEED = 7;

    @Nested
    @DisplayName("copy memory")
    class Copy {
        @Test
        void memorylessCrossEntropyIsTenLnEightOverTPlusTwenty() {
            for (int steps : List.of(5, 20, 100)) {
                CopyMemory task = new CopyMemory(steps);
                DataSet ds = task.batch(SEED, Split.TEST, 0, 40);
                EvalTally tally = new EvalTally(0);
                HeldOutEvaluator.score(Scoring.RECALL_PER_STEP, Baselines.memorylessOutput(task, 40), ds, tally);
                assertEquals(10 * Math.log(8) / (steps + 20), tally.meanNll(), 1e-12, "T = " + steps);
                assertEquals(40L * (steps + 20), tally.predictions());
            }
        }

        @Test
        void memorylessRecallAccuracyIsTheShareOfSymbolOneItsTieBreakPicks() {
            CopyMemory task = new CopyMemory(5);
            DataSet ds = task.batch(SEED, Split.TEST, 0, 200);
            EvalTally tally = new EvalTally(0);
            HeldOutEvaluator.score(Scoring.RECALL_PER_STEP, Baselines.memorylessOutput(task, 200), ds, tally);
            long ones = 0;
            for (int i = 0; i < 200; i++)
                for (int s = task.firstRecallStep(); s < task.sequenceLength(); s++) if (ds.getLabels().getInt(i, 0, s) == 1) ones++;
            assertEquals(2000, tally.recallPredictions);
            assertEquals(ones / 2000.0, tally.recallAccuracy(), 1e-12);
        }

        @Test
        void aPerfectPredictionHasFullRecallAndNoLoss() {
            CopyMemory task = new CopyMemory(5);
            DataSet ds = task.batch(SEED, Split.TEST, 0, 8);
            EvalTally tally = new EvalTally(0);
            HeldOutEvaluator.score(Scoring.RECALL_PER_STEP, oneHot(ds.getLabels(), CopyMemory.SYMBOLS), ds, tally);
            assertEquals(1.0, tally.recallAccuracy());
            assertEquals(0.0, tally.meanNll(), 1e-12);
        }

        @Test
        void skipsMaskedSteps() {
            CopyMemory task = new CopyMemory(5);
            DataSet ds = task.batch(SEED, Split.TEST, 0, 4);
            // Mask out the recall steps: only blank targets remain, which the memoryless predictor gets for free.
            INDArray mask = ds.getLabelsMaskArray();
            for (int i = 0; i < 4; i++)
                for (int s = task.firstRecallStep(); s < task.sequenceLength(); s++) mask.putScalar(i, s, 0);
            EvalTally tally = new EvalTally(0);
            HeldOutEvaluator.score(Scoring.RECALL_PER_STEP, Baselines.memorylessOutput(task, 4), ds, tally);
            assertEquals(4L * task.firstRecallStep(), tally.predictions());
            assertEquals(0, tally.recallPredictions);
            assertEquals(0.0, tally.meanNll(), 1e-12);
        }

        private static INDArray oneHot(INDArray ids, int classes) {
            long batch = ids.size(0), steps = ids.size(2);
            INDArray out = Nd4j.zeros(DataType.DOUBLE, batch, classes, steps);
            for (int i = 0; i < batch; i++)
                for (int s = 0; s < steps; s++) out.putScalar(new long[]{i, ids.getInt(i, 0, s), s}, 1.0);
            return out;
        }
    }

    @Nested
    @DisplayName("the adding problem")
    class Adding {
        @Test
        void meanSquaredErrorAveragesOverExamples() {
            DataSet ds = new AddingProblem(10).batch(SEED, Split.TEST, 0, 3);
            INDArray predicted = ds.getLabels().castTo(DataType.DOUBLE).add(Nd4j.createFromArray(0.1, -0.2, 0.3).reshape(3, 1));
            EvalTally tally = new EvalTally(0);
            HeldOutEvaluator.score(Scoring.VALUE_PER_SEQUENCE, predicted, ds, tally);
            assertEquals((0.01 + 0.04 + 0.09) / 3, tally.meanSquaredError(), 1e-6);
            assertEquals(3, tally.predictions());
        }

        @Test
        void constantPredictorOfTheMeanScoresAboutOneSixth() {
            // The target is the sum of two independent U(0, 1) values: mean 1, variance 2/12.
            AddingProblem task = new AddingProblem(10);
            DataSet train = task.batch(SEED, Split.TRAIN, 0, 20_000);
            DataSet test = task.batch(SEED, Split.TEST, 0, 20_000);
            double mean = train.getLabels().meanNumber().doubleValue();
            EvalTally tally = new EvalTally(0);
            HeldOutEvaluator.score(Scoring.VALUE_PER_SEQUENCE, Baselines.constantOutput(mean, 20_000), test, tally);
            assertEquals(1.0, mean, 0.01);
            assertEquals(1.0 / 6, tally.meanSquaredError(), 0.005);
        }
    }

    @Test
    void headlineMetricsAreMseAndCrossEntropy() {
        assertEquals(Metric.MSE, TaskKind.of(Task.SEQUENCE_REGRESSION).headline());
        assertEquals(Metric.CROSS_ENTROPY, TaskKind.of(Task.SEQUENCE_COPY).headline());
    }
}
