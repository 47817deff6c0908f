package io.recur.bench;

import io.recur.config.Cell;
import io.recur.config.ModelSpec;
import io.recur.config.UpdaterKind;
import io.recur.model.NetworkFactory;
import io.recur.model.NetworkShape;
import io.recur.model.OutputHead;
import io.recur.model.FusedRecurrent;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Random;

/**
 * Rows 1 and 2: the float32 matrix product rate of ND4J (the physical reference) and the training
 * throughput of the three cells through {@link NetworkFactory}, the same network a job builds:
 * one-hot input over {@value #SYMBOLS} symbols, two recurrent layers, a softmax over the symbols at
 * every step, Adam, gradient clipping. The cells of one configuration, and DL4J's SimpleRnn beside
 * recur's rnn, are timed interleaved, so load from other processes hits them alike and their
 * ratios stay comparable; the PyTorch peer ({@link PeerTorch}) runs the same configuration after
 * each of recur's repetitions.
 */
final class ComputeRows {
    static final int SYMBOLS = 96;
    static final int LAYERS = 2;
    static final int STEPS = 100;
    private static final int GEMM_SIZE = 1024;

    private final boolean quick;
    private final PrintStream log;

    ComputeRows(boolean quick, PrintStream log) {
        this.quick = quick;
        this.log = log;
    }

    /**
     * Analytic multiply-adds ×2 of one training token (forward and backward, backward taken as
     * twice the forward): {@code 3 × (Σ_layers 2·g·H·(I+H) + 2·H·V)}, g = 1 (rnn), 2 (mgu), 3 (gru), 4 (lstm),
     * I the layer's input width (V for the first layer, H above), V the output classes. Element-wise
     * gate arithmetic, O(g·H) per token, is left out: it is below 1% at H ≥ 256.
     */
    static double trainingFlopsPerToken(Cell cell, int hidden, int layers, int vocabulary) {
        int gates = switch (cell) {
            case RNN -> 1;
            case GRU -> 3;
            case LSTM -> 4;
            case MGU -> 2;
        };
        double forward = 0;
        int in = vocabulary;
        for (int l = 0; l < layers; l++) {
            forward += 2.0 * gates * hidden * (in + hidden);
            in = hidden;
        }
        forward += 2.0 * hidden * vocabulary;
        return 3 * forward;
    }

    List<Row> measure() {
        List<Row> rows = new ArrayList<>();
        Row gemm = gemm();
        rows.add(gemm);
        double peak = gemm.median();
        int[][] grid = quick ? new int[][] {{256, 32}} : new int[][] {{256, 32}, {256, 128}, {512, 32}, {512, 128}};
        try (PeerTorch peer = PeerTorch.start()) {
            log.println(peer.available() ? "peer: " + peer.version() : "peer: skipped, " + peer.unavailableReason());
            for (int[] config : grid) rows.addAll(cells(config[0], config[1], peak, peer));
        }
        rows.add(workspaces(peak));
        return rows;
    }

    private Row gemm() {
        INDArray a = Nd4j.rand(DataType.FLOAT, GEMM_SIZE, GEMM_SIZE);
        INDArray b = Nd4j.rand(DataType.FLOAT, GEMM_SIZE, GEMM_SIZE);
        INDArray c = Nd4j.create(DataType.FLOAT, GEMM_SIZE, GEMM_SIZE);
        int products = 8;
        for (int i = 0; i < products; i++) Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
        List<Double> gflops = new ArrayList<>();
        for (int rep = 0; rep < (quick ? 5 : 9); rep++) {
            long start = System.nanoTime();
            for (int i = 0; i < products; i++) Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            double seconds = (System.nanoTime() - start) / 1e9;
            gflops.add(products * 2.0 * Math.pow(GEMM_SIZE, 3) / seconds / 1e9);
        }
        // The best repetition is the machine's capability; the median would fold in other load.
        double best = gflops.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        log.printf("gemm: %s GFLOP/s (best of %s)%n", Row.number(best), gflops);
        Row median = Row.reference("gemm-peak", "ND4J float32 matrix product rate",
                GEMM_SIZE + "x" + GEMM_SIZE + " · " + GEMM_SIZE + "x" + GEMM_SIZE + ", " + threads() + " threads, "
                        + products + " products per repetition", gflops, "GFLOP/s");
        return new Row(median.id(), median.measured(), median.configuration() + "; value = best repetition",
                best, median.unit(), median.samples(), null, null, null, null);
    }

    /** The cells PyTorch has a layer for (dev/bench-peer-torch.py); it has no MGU. */
    private static final Set<Cell> PEER_CELLS = EnumSet.of(Cell.RNN, Cell.LSTM, Cell.GRU);

    /** The key of DL4J's SimpleRnn network among the cells', timed beside recur's rnn. */
    private static final String SIMPLE_RNN = "simple-rnn";

    private List<Row> cells(int hidden, int batch, double peak, PeerTorch peer) {
        DataSet data = oneHotBatch(batch, new Random(2024));
        NetworkShape shape = new NetworkShape(OutputHead.CLASS_PER_STEP, SYMBOLS, SYMBOLS);
        Map<String, MultiLayerNetwork> nets = new LinkedHashMap<>();
        Map<String, List<Double>> tokensPerSecond = new LinkedHashMap<>();
        Map<Cell, List<Double>> peerTokensPerSecond = new LinkedHashMap<>();
        for (Cell cell : Cell.values()) {
            nets.put(cell.id(), NetworkFactory.create(model(cell, hidden), shape, 1));
            peerTokensPerSecond.put(cell, new ArrayList<>());
        }
        nets.put(SIMPLE_RNN, withDl4jSimpleRnn(NetworkFactory.configure(model(Cell.RNN, hidden), shape, 1)));
        for (Map.Entry<String, MultiLayerNetwork> e : nets.entrySet()) {
            // Two fits: the first allocates the workspaces, the second lets the JIT compile the loops.
            e.getValue().fit(data);
            e.getValue().fit(data);
            tokensPerSecond.put(e.getKey(), new ArrayList<>());
        }
        int reps = quick ? 2 : 5;
        for (int rep = 0; rep < reps; rep++) {
            interleavedTokensPerSecond(nets, data).forEach((key, rate) -> tokensPerSecond.get(key).add(rate));
            // The peer's repetition follows recur's, so the two see the machine seconds apart.
            if (peer.available()) {
                for (Cell cell : PEER_CELLS) {
                    peerTokensPerSecond.get(cell).add(peer.tokensPerSecond(cell, hidden, batch, minRepetitionSeconds()));
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        String size = "h" + hidden + "-b" + batch;
        String configuration = "hidden " + hidden + ", batch " + batch + ", " + STEPS + " steps, " + LAYERS + " layers, "
                + SYMBOLS + " symbols, float32, " + threads() + " threads";
        for (Cell cell : Cell.values()) {
            String name = cell.id();
            double flops = trainingFlopsPerToken(cell, hidden, LAYERS, SYMBOLS);
            Row row = Row.reference("cell-" + name + "-" + size,
                    "training throughput, " + name + " (" + Row.number(flops / 1e6) + " MFLOP/token)",
                    configuration, tokensPerSecond.get(name), "tokens/s");
            double fraction = row.median() * flops / 1e9 / peak;
            Target target = cell == Cell.LSTM && hidden == 512 && batch == 128 ? Target.atLeast(0.35) : null;
            row = row.judged("achieved " + Row.number(row.median() * flops / 1e9) + " GFLOP/s / GEMM peak", fraction, target);
            log.printf("%s: %s tokens/s %s, %.0f%% of peak%n", row.id(), Row.number(row.median()),
                    tokensPerSecond.get(name), 100 * fraction);
            rows.add(row);
        }
        List<Double> gruOverLstm = ratios(tokensPerSecond.get(Cell.GRU.id()), tokensPerSecond.get(Cell.LSTM.id()));
        rows.add(Row.reference("gru-vs-lstm-" + size, "gru / lstm training throughput",
                        "hidden " + hidden + ", batch " + batch + "; median of per-repetition ratios", gruOverLstm, "x")
                .judged("gru / lstm tokens/s", Row.median(gruOverLstm), Target.atLeast(1.2)));
        List<Double> overSimpleRnn = ratios(tokensPerSecond.get(Cell.RNN.id()), tokensPerSecond.get(SIMPLE_RNN));
        log.printf("rnn-vs-simple-rnn-%s: SimpleRnn %s tokens/s, ratios %s%n", size, tokensPerSecond.get(SIMPLE_RNN),
                overSimpleRnn);
        rows.add(Row.reference("rnn-vs-simple-rnn-" + size, "recur's rnn / DL4J's SimpleRnn training throughput",
                        configuration + "; the same network with SimpleRnn, timed interleaved with the cells, median "
                                + Row.number(Row.median(tokensPerSecond.get(SIMPLE_RNN))) + " tokens/s; median of "
                                + "per-repetition ratios", overSimpleRnn, "x")
                .judged("rnn / SimpleRnn tokens/s", Row.median(overSimpleRnn), null));
        for (Cell cell : PEER_CELLS) {
            rows.add(peerRow(cell, size, configuration, peer, tokensPerSecond.get(cell.id()), peerTokensPerSecond.get(cell)));
        }
        return rows;
    }

    /**
     * The PyTorch peer of one cell row: the peer's tokens/s, judged by recur / PyTorch (median of
     * per-repetition ratios, each pair measured seconds apart) against issue 13's 1.5; skipped,
     * with the reason, where PyTorch is absent.
     */
    private Row peerRow(Cell cell, String size, String configuration, PeerTorch peer, List<Double> recur,
                        List<Double> torch) {
        String id = "peer-torch-" + cell.id() + "-" + size;
        String measured = "PyTorch " + cell.id() + " training throughput (dev/bench-peer-torch.py)";
        if (!peer.available()) {
            return new Row(id, measured, "skipped: " + peer.unavailableReason(), Double.NaN, "tokens/s", List.of(),
                    null, null, null, null);
        }
        List<Double> ratios = ratios(recur, torch);
        log.printf("%s: %s tokens/s %s, recur / PyTorch %s%n", id, Row.number(Row.median(torch)), torch, ratios);
        return Row.reference(id, measured, configuration + ", " + peer.version() + ", Adam, clip 1.0 per layer; "
                                + "repetitions interleaved with recur's; ratio = median of per-repetition ratios",
                        torch, "tokens/s")
                .judged("recur / PyTorch tokens/s", Row.median(ratios), Target.atLeast(1.5));
    }

    // Per-repetition ratios compare runs seconds apart, so they suffer less from load swings.
    private static List<Double> ratios(List<Double> numerators, List<Double> denominators) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < numerators.size(); i++) ratios.add(numerators.get(i) / denominators.get(i));
        return ratios;
    }

    /**
     * The same network with DL4J's SimpleRnn in place of recur's rnn, as recur built it before it
     * had its own: the layers' JSON differs only in the class (DL4J ignores the extra cell name), so
     * the configuration is re-read with the other class name and keeps every setting the builder
     * filled in (updater, clipping).
     */
    static MultiLayerNetwork withDl4jSimpleRnn(MultiLayerConfiguration conf) {
        String json = conf.toJson();
        String ours = "\"" + FusedRecurrent.class.getName() + "\"";
        if (!json.contains(ours)) throw new IllegalStateException("no " + ours + " layer in " + json);
        MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(
                json.replace(ours, "\"" + SimpleRnn.class.getName() + "\"")));
        net.init();
        return net;
    }

    /** Lever: DL4J workspaces (recur's default, ENABLED) against none, LSTM hidden 256, batch 32. */
    private Row workspaces(double peak) {
        DataSet data = oneHotBatch(32, new Random(2024));
        Map<WorkspaceMode, MultiLayerNetwork> nets = new LinkedHashMap<>();
        Map<WorkspaceMode, List<Double>> rates = new LinkedHashMap<>();
        for (WorkspaceMode mode : List.of(WorkspaceMode.ENABLED, WorkspaceMode.NONE)) {
            MultiLayerConfiguration conf = NetworkFactory.configure(model(Cell.LSTM, 256),
                    new NetworkShape(OutputHead.CLASS_PER_STEP, SYMBOLS, SYMBOLS), 1);
            conf.setTrainingWorkspaceMode(mode);
            conf.setInferenceWorkspaceMode(mode);
            MultiLayerNetwork net = new MultiLayerNetwork(conf);
            net.init();
            net.fit(data);
            nets.put(mode, net);
            rates.put(mode, new ArrayList<>());
        }
        List<Double> ratios = new ArrayList<>();
        for (int rep = 0; rep < (quick ? 2 : 3); rep++) {
            interleavedTokensPerSecond(nets, data).forEach((mode, rate) -> rates.get(mode).add(rate));
            ratios.add(rates.get(WorkspaceMode.ENABLED).get(rep) / rates.get(WorkspaceMode.NONE).get(rep));
        }
        log.printf("workspaces: enabled %s, none %s%n", rates.get(WorkspaceMode.ENABLED), rates.get(WorkspaceMode.NONE));
        return Row.reference("lever-workspaces", "lever: DL4J workspaces ENABLED (default) vs NONE",
                        "lstm hidden 256, batch 32, " + STEPS + " steps; tokens/s with workspaces; NONE median "
                                + Row.number(Row.median(rates.get(WorkspaceMode.NONE))),
                        rates.get(WorkspaceMode.ENABLED), "tokens/s")
                .judged("ENABLED / NONE tokens/s", Row.median(ratios), null);
    }

    /**
     * Tokens per second of each network in one repetition: one fit of the batch per network in
     * turn, round after round, until every network has trained for at least
     * {@link #minRepetitionSeconds()}. A single fit at batch 32 lasts a fraction of a second, too
     * short to average out the machine's other work, and taking turns fit by fit lets a slow
     * spell of the machine fall on all the networks compared rather than on one.
     */
    private <K> Map<K, Double> interleavedTokensPerSecond(Map<K, MultiLayerNetwork> nets, DataSet data) {
        long minNanos = (long) (minRepetitionSeconds() * 1e9);
        Map<K, Long> nanos = new LinkedHashMap<>();
        Map<K, Integer> fits = new LinkedHashMap<>();
        nets.keySet().forEach(key -> {
            nanos.put(key, 0L);
            fits.put(key, 0);
        });
        while (nanos.values().stream().anyMatch(n -> n < minNanos)) {
            for (Map.Entry<K, MultiLayerNetwork> e : nets.entrySet()) {
                long start = System.nanoTime();
                e.getValue().fit(data);
                nanos.merge(e.getKey(), System.nanoTime() - start, Long::sum);
                fits.merge(e.getKey(), 1, Integer::sum);
            }
        }
        double tokensPerFit = data.getFeatures().size(0) * (double) STEPS;
        Map<K, Double> rates = new LinkedHashMap<>();
        nets.keySet().forEach(key -> rates.put(key, fits.get(key) * tokensPerFit / (nanos.get(key) / 1e9)));
        return rates;
    }

    private double minRepetitionSeconds() {
        return quick ? 0.3 : 2.0;
    }

    static ModelSpec model(Cell cell, int hidden) {
        return new ModelSpec(cell, LAYERS, hidden, 0, false, 0.0, 0.0, 1.0, UpdaterKind.ADAM, 1e-3);
    }

    /** Random symbol sequences: the next symbol is the target, as in a character language model. */
    private static DataSet oneHotBatch(int batch, Random random) {
        INDArray features = Nd4j.zeros(DataType.FLOAT, batch, SYMBOLS, STEPS);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, batch, 1, STEPS);
        for (int b = 0; b < batch; b++) {
            int next = random.nextInt(SYMBOLS);
            for (int t = 0; t < STEPS; t++) {
                features.putScalar(new int[] {b, next, t}, 1f);
                next = random.nextInt(SYMBOLS);
                labels.putScalar(new int[] {b, 0, t}, next);
            }
        }
        return new DataSet(features, labels);
    }

    static int threads() {
        return Nd4j.getEnvironment().maxThreads();
    }
}
