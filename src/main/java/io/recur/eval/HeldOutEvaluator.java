package io.recur.eval;

import io.recur.config.Task;
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
 * Only real steps count: padding is excluded through the masks.
 */
public final class HeldOutEvaluator {
    private static final double MIN_PROBABILITY = 1e-12;
    private final Task task;
    private final int classes;

    public HeldOutEvaluator(Task task, int classes) {
        this.task = task;
        this.classes = task == Task.CLASSIFY ? classes : 0;
    }

    public EvalTally evaluate(JavaSparkContext sc, MultiLayerNetwork net, JavaRDD<DataSet> batches) {
        Broadcast<byte[]> model = sc.broadcast(serialize(net));
        Task t = task;
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
        for (DataSet ds : batches) add(task, net, ds, tally);
        return tally;
    }

    static void add(Task task, MultiLayerNetwork net, DataSet ds, EvalTally tally) {
        INDArray out = net.output(ds.getFeatures(), false, ds.getFeaturesMaskArray(), ds.getLabelsMaskArray());
        INDArray labels = ds.getLabels();
        int batch = (int) out.size(0);
        tally.examples += batch;
        if (task == Task.CLASSIFY) {
            INDArray predicted = out.argMax(1);
            INDArray actual = labels.argMax(1);
            for (int i = 0; i < batch; i++) {
                int a = actual.getInt(i);
                tally.confusion[a][predicted.getInt(i)]++;
                tally.nllNats -= Math.log(Math.max(MIN_PROBABILITY, out.getDouble(i, a)));
                tally.predictions++;
            }
        } else {
            INDArray mask = ds.getLabelsMaskArray();
            int steps = (int) out.size(2);
            for (int i = 0; i < batch; i++) {
                for (int s = 0; s < steps; s++) {
                    if (mask.getDouble(i, s) == 0) continue;
                    int target = labels.getInt(i, 0, s);
                    tally.nllNats -= Math.log(Math.max(MIN_PROBABILITY, out.getDouble(i, target, s)));
                    tally.predictions++;
                }
            }
        }
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
