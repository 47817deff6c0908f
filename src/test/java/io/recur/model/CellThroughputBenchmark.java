package io.recur.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Training throughput of DL4J's SimpleRnn and LSTM and of {@link Gru} in one run, same network
 * shape for all three: 96-symbol one-hot input, two recurrent layers of 256 units, softmax over
 * 96 symbols, batch 32, 100 steps, float32, Adam. Prints tokens (batch x steps) per second of
 * {@code fit}: the median of several timed repetitions after a warm-up, cells interleaved so that
 * load from other processes hits all three alike. Run with {@code scripts/bench-cells}.
 */
@Tag("bench")
@DisplayName("Cell training throughput (benchmark, prints tokens/s)")
class CellThroughputBenchmark {

    private static final int SYMBOLS = 96;
    private static final int HIDDEN = 256;
    private static final int BATCH = 32;
    private static final int STEPS = 100;
    private static final int WARMUP_FITS = 3;
    private static final int REPETITIONS = 5;
    private static final int FITS_PER_REPETITION = 2;

    @Test
    void printsTrainingTokensPerSecondPerCell() {
        Map<String, Function<Integer, Layer>> cells = new LinkedHashMap<>();
        cells.put("rnn", nIn -> new SimpleRnn.Builder().nIn(nIn).nOut(HIDDEN).activation(Activation.TANH).build());
        cells.put("lstm", nIn -> new LSTM.Builder().nIn(nIn).nOut(HIDDEN).activation(Activation.TANH).build());
        cells.put("gru", nIn -> new Gru.Builder().nIn(nIn).nOut(HIDDEN).build());

        DataSet data = oneHotBatch(new Random(2024));
        Map<String, MultiLayerNetwork> nets = new LinkedHashMap<>();
        Map<String, List<Double>> tokensPerSecond = new LinkedHashMap<>();
        for (Map.Entry<String, Function<Integer, Layer>> cell : cells.entrySet()) {
            MultiLayerNetwork net = network(cell.getValue());
            for (int i = 0; i < WARMUP_FITS; i++) net.fit(data);
            nets.put(cell.getKey(), net);
            tokensPerSecond.put(cell.getKey(), new ArrayList<>());
        }
        for (int rep = 0; rep < REPETITIONS; rep++) {
            for (Map.Entry<String, MultiLayerNetwork> e : nets.entrySet()) {
                long start = System.nanoTime();
                for (int i = 0; i < FITS_PER_REPETITION; i++) e.getValue().fit(data);
                double seconds = (System.nanoTime() - start) / 1e9;
                tokensPerSecond.get(e.getKey()).add(FITS_PER_REPETITION * (double) BATCH * STEPS / seconds);
            }
        }

        System.out.printf("%nCell throughput: hidden %d, batch %d, %d steps, 2 layers, %d-symbol one-hot, float32%n",
                HIDDEN, BATCH, STEPS, SYMBOLS);
        Map<String, Double> medians = new LinkedHashMap<>();
        for (Map.Entry<String, List<Double>> e : tokensPerSecond.entrySet()) {
            double median = median(e.getValue());
            medians.put(e.getKey(), median);
            System.out.printf("  %-4s %9.0f tokens/s (median of %d; runs %s)%n", e.getKey(), median,
                    e.getValue().size(), e.getValue().stream().map(v -> String.format("%.0f", v)).toList());
        }
        // Ratios within a repetition compare runs seconds apart, so they suffer less from load swings.
        List<Double> pairedRatios = new ArrayList<>();
        for (int rep = 0; rep < REPETITIONS; rep++) {
            pairedRatios.add(tokensPerSecond.get("gru").get(rep) / tokensPerSecond.get("lstm").get(rep));
        }
        System.out.printf("  gru/lstm = %.2f (ratio of medians), %.2f (median of per-repetition ratios); gru/rnn = %.2f%n",
                medians.get("gru") / medians.get("lstm"), median(pairedRatios),
                medians.get("gru") / medians.get("rnn"));
        medians.forEach((cell, v) -> assertTrue(v > 0, cell + " made no progress"));
    }

    private static MultiLayerNetwork network(Function<Integer, Layer> recurrent) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .seed(1)
                .updater(new Adam(1e-3))
                .list()
                .layer(recurrent.apply(SYMBOLS))
                .layer(recurrent.apply(HIDDEN))
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nIn(HIDDEN).nOut(SYMBOLS).build())
                .build());
        net.init();
        return net;
    }

    private static DataSet oneHotBatch(Random random) {
        INDArray features = Nd4j.zeros(DataType.FLOAT, BATCH, SYMBOLS, STEPS);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, BATCH, SYMBOLS, STEPS);
        for (int b = 0; b < BATCH; b++) {
            int next = random.nextInt(SYMBOLS);
            for (int t = 0; t < STEPS; t++) {
                features.putScalar(new int[] {b, next, t}, 1f);
                next = random.nextInt(SYMBOLS);
                labels.putScalar(new int[] {b, next, t}, 1f);
            }
        }
        return new DataSet(features, labels);
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
