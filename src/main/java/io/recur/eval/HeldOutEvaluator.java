package io.recur.eval;

import io.recur.synthetic.CopyMemory;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Runs a network over held-out minibatches on the executors and adds up an {@link EvalTally}.
 * Only real steps count: padding is excluded through the masks. {@link #loss} is the number
 * early stopping watches: mean squared error for a regression, mean cross-entropy otherwise.
 */
public final class HeldOutEvaluator {
    /** The floor of a probability whose log is taken: a zero would make one example's loss infinite. */
    public static final double MIN_PROBABILITY = 1e-12;
    private final Scoring scoring;
    private final int classes;

    /** @param classes the classes of a {@link Scoring#CLASS_PER_SEQUENCE} task; ignored otherwise */
    public HeldOutEvaluator(Scoring scoring, int classes) {
        this.scoring = scoring;
        this.classes = scoring == Scoring.CLASS_PER_SEQUENCE ? classes : 0;
    }

    /** The validation loss of a tally of this task: lower is better. */
    public double loss(EvalTally tally) {
        return scoring == Scoring.VALUE_PER_SEQUENCE ? tally.meanSquaredError() : tally.meanNll();
    }

    public EvalTally evaluate(JavaSparkContext sc, MultiLayerNetwork net, JavaRDD<DataSet> batches) {
        Broadcast<byte[]> model = sc.broadcast(serialize(net));
        Scoring t = scoring;
        int c = classes;
        try {
            return batches.mapPartitions(it -> {
                EvalTally tally = new EvalTally(c);
                if (!it.hasNext()) return List.of(tally).iterator();
                MultiLayerNetwork local = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(model.value()), false);
                while (it.hasNext()) add(t, local, it.next(), tally);
                return List.of(tally).iterator();
            }).reduce(EvalTally::merge);
        } finally {
            model.destroy();
        }
    }

    /** The same computation in this JVM, for a handful of batches. */
    public EvalTally evaluateLocally(MultiLayerNetwork net, Iterable<DataSet> batches) {
        EvalTally tally = new EvalTally(classes);
        for (DataSet ds : batches) add(scoring, net, ds, tally);
        return tally;
    }

    static void add(Scoring scoring, MultiLayerNetwork net, DataSet ds, EvalTally tally) {
        score(scoring, net.output(ds.getFeatures(), false, ds.getFeaturesMaskArray(), ds.getLabelsMaskArray()), ds, tally);
    }

    /** Adds the predictions {@code out} (a network's output, or a baseline's) for the targets of {@code ds}. */
    static void score(Scoring scoring, INDArray out, DataSet ds, EvalTally tally) {
        INDArray labels = ds.getLabels();
        int batch = (int) out.size(0);
        tally.examples += batch;
        switch (scoring) {
            case VALUE_PER_SEQUENCE -> {
                for (int i = 0; i < batch; i++) {
                    double error = out.getDouble(i, 0) - labels.getDouble(i, 0);
                    tally.squaredError += error * error;
                    tally.predictions++;
                }
            }
            case CLASS_PER_SEQUENCE -> {
                INDArray predicted = out.argMax(1);
                INDArray actual = labels.argMax(1);
                for (int i = 0; i < batch; i++) {
                    int a = actual.getInt(i);
                    tally.confusion[a][predicted.getInt(i)]++;
                    tally.nllNats -= Math.log(Math.max(MIN_PROBABILITY, out.getDouble(i, a)));
                    tally.predictions++;
                }
            }
            case CLASS_PER_STEP, RECALL_PER_STEP -> {
                boolean recall = scoring == Scoring.RECALL_PER_STEP;
                INDArray mask = ds.getLabelsMaskArray();
                int steps = (int) out.size(2);
                for (int i = 0; i < batch; i++) {
                    for (int s = 0; s < steps; s++) {
                        if (mask.getDouble(i, s) == 0) continue;
                        int target = labels.getInt(i, 0, s);
                        tally.nllNats -= Math.log(Math.max(MIN_PROBABILITY, out.getDouble(i, target, s)));
                        tally.predictions++;
                        if (recall && target != CopyMemory.BLANK) {
                            tally.recallPredictions++;
                            if (argMax(out, i, s) == target) tally.recallCorrect++;
                        }
                    }
                }
            }
        }
    }

    /** The most probable class at step {@code s} of example {@code i}; the lowest id on a tie. */
    private static int argMax(INDArray out, int i, int s) {
        int best = 0;
        for (int c = 1; c < out.size(1); c++) if (out.getDouble(i, c, s) > out.getDouble(i, best, s)) best = c;
        return best;
    }

    static byte[] serialize(MultiLayerNetwork net) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ModelSerializer.writeModel(net, bytes, false);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
