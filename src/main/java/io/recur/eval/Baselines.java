package io.recur.eval;

import io.recur.synthetic.CopyMemory;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/**
 * Trivial predictors fitted on the training split, scored on the same held-out batches as the
 * model, so that every metric has a reference: the majority class for classifiers, an add-one
 * smoothed unigram distribution for language models, the training-target mean for the adding
 * problem and the memoryless predictor for copy memory.
 */
public final class Baselines {
    private Baselines() {}

    /**
     * @param trainLabelCounts training examples per class, in label-id order
     * @param modelTally       the model's tally on the held-out set: its confusion rows give the
     *                         held-out class counts the constant predictor is scored on
     */
    public static EvalTally majorityClass(long[] trainLabelCounts, EvalTally modelTally) {
        int classes = trainLabelCounts.length;
        int majority = 0;
        long total = 0;
        for (int c = 0; c < classes; c++) {
            total += trainLabelCounts[c];
            if (trainLabelCounts[c] > trainLabelCounts[majority]) majority = c;
        }
        EvalTally tally = new EvalTally(classes);
        for (int actual = 0; actual < classes; actual++) {
            long n = 0;
            for (long v : modelTally.confusion()[actual]) n += v;
            tally.confusion[actual][majority] += n;
            // The baseline's probabilities are the training class frequencies (add-one smoothed).
            double p = (trainLabelCounts[actual] + 1.0) / (total + classes);
            tally.nllNats -= n * Math.log(p);
            tally.predictions += n;
            tally.examples += n;
        }
        return tally;
    }

    /** Counts of each target id over the real (unmasked) steps of language-model batches. */
    public static long[] targetCounts(JavaRDD<DataSet> batches, int vocabSize) {
        return batches.mapPartitions(it -> {
            long[] counts = new long[vocabSize];
            while (it.hasNext()) {
                DataSet ds = it.next();
                forEachTarget(ds, id -> counts[id]++);
            }
            return List.of(counts).iterator();
        }).reduce((a, b) -> {
            for (int i = 0; i < a.length; i++) a[i] += b[i];
            return a;
        });
    }

    /**
     * Add-one smoothed unigram distribution.
     *
     * @param outcomes number of ids that can be targets (the vocabulary less PAD and BOS)
     */
    public static EvalTally unigram(JavaSparkContext sc, long[] trainTargetCounts, int outcomes,
                                    JavaRDD<DataSet> heldOut) {
        double[] logP = new double[trainTargetCounts.length];
        long total = 0;
        for (long c : trainTargetCounts) total += c;
        for (int i = 0; i < logP.length; i++) logP[i] = Math.log((trainTargetCounts[i] + 1.0) / (total + outcomes));
        Broadcast<double[]> b = sc.broadcast(logP);
        try {
            return heldOut.mapPartitions(it -> {
                EvalTally tally = new EvalTally(0);
                double[] lp = b.value();
                while (it.hasNext()) {
                    DataSet ds = it.next();
                    tally.examples += ds.numExamples();
                    forEachTarget(ds, id -> {
                        tally.nllNats -= lp[id];
                        tally.predictions++;
                    });
                }
                return List.of(tally).iterator();
            }).reduce(EvalTally::merge);
        } finally {
            b.destroy();
        }
    }

    /** The mean of the regression targets of {@code batches} (labels {@code [batch, 1]}). */
    public static double meanTarget(JavaRDD<DataSet> batches) {
        double[] sumAndCount = batches.map(ds -> new double[]{ds.getLabels().sumNumber().doubleValue(), ds.numExamples()})
                .reduce((a, b) -> new double[]{a[0] + b[0], a[1] + b[1]});
        return sumAndCount[0] / sumAndCount[1];
    }

    /** The constant predictor {@code value} (the training-target mean) scored on regression batches. */
    public static EvalTally constant(double value, JavaRDD<DataSet> heldOut) {
        return heldOut.mapPartitions(it -> {
            EvalTally tally = new EvalTally(0);
            while (it.hasNext()) {
                DataSet ds = it.next();
                HeldOutEvaluator.score(Scoring.VALUE_PER_SEQUENCE, constantOutput(value, ds.numExamples()), ds, tally);
            }
            return List.of(tally).iterator();
        }).reduce(EvalTally::merge);
    }

    /**
     * The best predictor of copy memory without memory: it knows the layout, so it predicts blank
     * with certainty before the recall steps, and, not remembering the symbols, a uniform
     * distribution over the {@link CopyMemory#ALPHABET} symbols at each recall step. Its
     * cross-entropy per step is {@code 10 ln 8 / (T + 20)}.
     */
    public static EvalTally memoryless(CopyMemory task, JavaRDD<DataSet> heldOut) {
        return heldOut.mapPartitions(it -> {
            EvalTally tally = new EvalTally(0);
            while (it.hasNext()) {
                DataSet ds = it.next();
                HeldOutEvaluator.score(Scoring.RECALL_PER_STEP, memorylessOutput(task, ds.numExamples()), ds, tally);
            }
            return List.of(tally).iterator();
        }).reduce(EvalTally::merge);
    }

    static INDArray constantOutput(double value, int examples) {
        return Nd4j.valueArrayOf(new long[]{examples, 1}, value, DataType.DOUBLE);
    }

    static INDArray memorylessOutput(CopyMemory task, int examples) {
        int length = task.sequenceLength();
        INDArray out = Nd4j.zeros(DataType.DOUBLE, examples, CopyMemory.SYMBOLS, length);
        for (int i = 0; i < examples; i++) {
            for (int s = 0; s < length; s++) {
                if (s < task.firstRecallStep()) {
                    out.putScalar(new long[]{i, CopyMemory.BLANK, s}, 1.0);
                } else {
                    for (int symbol = 1; symbol <= CopyMemory.ALPHABET; symbol++)
                        out.putScalar(new long[]{i, symbol, s}, 1.0 / CopyMemory.ALPHABET);
                }
            }
        }
        return out;
    }

    private static void forEachTarget(DataSet ds, java.util.function.IntConsumer action) {
        INDArray labels = ds.getLabels(), mask = ds.getLabelsMaskArray();
        long batch = labels.size(0), steps = labels.size(2);
        for (int i = 0; i < batch; i++)
            for (int s = 0; s < steps; s++)
                if (mask.getDouble(i, s) != 0) action.accept(labels.getInt(i, 0, s));
    }
}
