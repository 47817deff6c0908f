package io.recur.export;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.recur.config.Cell;
import io.recur.config.JobSpec;
import io.recur.config.JobSpecLoader;
import io.recur.config.Task;
import io.recur.corpus.Example;
import io.recur.corpus.Split;
import io.recur.run.SavedRun;
import io.recur.model.NetworkFactory;
import io.recur.model.NetworkShape;
import io.recur.provenance.ModelProvenance;
import io.recur.task.TaskKind;
import io.recur.vocab.LabelSet;
import io.recur.vocab.Vocabulary;
import io.recur.vocab.VocabularyFile;
import io.recur.task.CorpusTask;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Small runs with seeded random weights for the export tests, and the two ways of computing
 * their outputs: recur's own network on the batch as recur encodes it (padding and masks), and
 * ONNX Runtime on the exported model fed the same ids and lengths.
 */
final class ExportedRuns {
    /** A character vocabulary of Hangul syllables with a few Latin letters and the space. */
    static final List<String> HANGUL = List.of("한", "국", "어", "가", "나", "다", "말", "글", " ", "a", "b");
    static final LabelSet CLASSES = new LabelSet(List.of("긍정", "부정", "중립"));
    static final LabelSet TAGS = new LabelSet(List.of("NOUN", "VERB", "ADJ", "."));

    private ExportedRuns() {}

    /** Everything a run's network and export depend on; weights are drawn from {@code seed}. */
    record Combination(Cell cell, Task task, boolean bidirectional, int embeddingSize) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s %s %s %s", cell.name().toLowerCase(), task.name().toLowerCase(),
                    bidirectional ? "bidirectional" : "forward", embeddingSize > 0 ? "embedding" : "one-hot");
        }
    }

    static List<Combination> combinations() {
        List<Combination> out = new ArrayList<>();
        // Every cell ONNX has an operator for; the others are refused (OnnxExportTest).
        for (Cell cell : Cell.values()) if (OnnxGraph.Cell.operatorFor(cell).isPresent())
            for (Task task : List.of(Task.CLASSIFY, Task.LM, Task.TAG))
                for (boolean bidirectional : List.of(false, true))
                    for (int embedding : List.of(0, 5))
                        if (!(bidirectional && task == Task.LM)) out.add(new Combination(cell, task, bidirectional, embedding));
        return out;
    }

    /** A two-layer run of the combination on the test job of its task, weights N(0, 0.5²) from {@code seed}. */
    static SavedRun run(Combination c, long seed) {
        String job = switch (c.task()) {
            case CLASSIFY -> "src/test/resources/jobs/sms-slice.conf";
            case LM -> "src/test/resources/jobs/moby-slice.conf";
            case TAG -> "src/test/resources/jobs/brown-slice.conf";
            default -> throw new IllegalArgumentException(c.task().toString());
        };
        JobSpec spec = JobSpecLoader.load(Path.of(job), List.of("model.cell=" + c.cell().name().toLowerCase(),
                "model.layers=2", "model.hidden-size=6", "model.embedding-size=" + c.embeddingSize(),
                "model.bidirectional=" + c.bidirectional()));
        Vocabulary vocab = Vocabulary.of(HANGUL, new ArrayList<>(Collections.nCopies(HANGUL.size(), 1L)));
        LabelSet labels = switch (c.task()) {
            case CLASSIFY -> CLASSES;
            case TAG -> TAGS;
            default -> null;
        };
        int outputs = labels == null ? vocab.size() : labels.size();
        MultiLayerNetwork net = NetworkFactory.create(spec.model(), new NetworkShape(TaskKind.of(c.task()).head(), vocab.size(), outputs), seed);
        // Trained weights are not needed for parity, but every parameter must count: biases start at
        // zero and the LSTM's forget bias at one, which would hide a misplaced bias block.
        Nd4j.getRandom().setSeed(seed);
        net.setParams(Nd4j.randn(DataType.FLOAT, 1, net.numParams()).muli(0.5));
        ModelProvenance provenance = ModelProvenance.of(spec.name(), "parity-" + seed, "none", 0,
                VocabularyFile.sha256(vocab), "none", Instant.EPOCH);
        return new SavedRun(spec, net, vocab, labels, provenance);
    }

    /** A batch of examples of lengths 1 to 7 (in mixed order), random tokens and tags from {@code seed}. */
    static List<Example> examples(SavedRun run, long seed) {
        Random random = new Random(seed);
        List<Example> out = new ArrayList<>();
        for (int length : List.of(4, 1, 7, 2, 5, 3, 6)) {
            List<String> tokens = new ArrayList<>();
            List<String> tags = new ArrayList<>();
            for (int t = 0; t < length; t++) {
                // Now and then a token outside the vocabulary, read as unk.
                tokens.add(random.nextInt(8) == 0 ? "밖" : HANGUL.get(random.nextInt(HANGUL.size())));
                tags.add(TAGS.label(random.nextInt(TAGS.size())));
            }
            Task task = run.spec().task();
            String label = task == Task.CLASSIFY ? CLASSES.label(random.nextInt(CLASSES.size())) : null;
            // truncated = true: a language model reads the tokens without an end-of-sequence step, as predict does.
            out.add(new Example("test", label, tokens, task == Task.TAG ? tags : null, task == Task.LM, Split.TEST));
        }
        return out;
    }

    /** What recur computes and what ONNX Runtime computes for one batch, as [example][step][class]. */
    record Outputs(float[][][] recur, float[][][] onnx, int[] lengths) {
        /** The largest |difference| over every real step of every example. */
        double maxAbsDiff() {
            double max = 0;
            for (int b = 0; b < lengths.length; b++)
                for (int t = 0; t < recur[b].length && t < lengths[b]; t++)
                    for (int k = 0; k < recur[b][t].length; k++)
                        max = Math.max(max, Math.abs(recur[b][t][k] - onnx[b][t][k]));
            return max;
        }
    }

    static Outputs outputs(SavedRun run, byte[] model, List<Example> batch) throws OrtException {
        Task task = run.spec().task();
        boolean oneHot = run.spec().model().embeddingSize() == 0;
        DataSet ds = CorpusTask.of(task).encoder(run.vocab(), run.labels(), oneHot).encode(batch);
        INDArray features = ds.getFeatures();
        INDArray mask = ds.getFeaturesMaskArray();
        INDArray out = run.network().output(features, false, mask, null);

        int b = (int) mask.size(0);
        int steps = (int) mask.size(1);
        long[][] tokens = new long[b][steps];
        int[] lengths = new int[b];
        for (int i = 0; i < b; i++) {
            lengths[i] = (int) mask.getRow(i).sumNumber().longValue();
            for (int t = 0; t < steps; t++)
                // One-hot padding columns are all zero: argmax 0 is pad, a valid id.
                tokens[i][t] = oneHot ? features.get(point(i), all(), point(t)).argMax().getLong(0) : (long) features.getFloat(i, 0, t);
        }
        float[][][] recur = new float[b][][];
        for (int i = 0; i < b; i++) {
            if (task == Task.CLASSIFY) {
                recur[i] = new float[][] {out.getRow(i).toFloatVector()};
            } else {
                recur[i] = new float[steps][];
                for (int t = 0; t < steps; t++)
                    recur[i][t] = out.get(point(i), all(), point(t)).toFloatVector();
            }
        }
        return new Outputs(recur, onnx(model, tokens, lengths, task), lengths);
    }

    /** Runs the exported model in ONNX Runtime; classify's [batch, labels] comes back as [batch][1][labels]. */
    static float[][][] onnx(byte[] model, long[][] tokens, int[] lengths, Task task) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions());
             OnnxTensor t = OnnxTensor.createTensor(env, tokens);
             OnnxTensor l = OnnxTensor.createTensor(env, lengths);
             OrtSession.Result result = session.run(Map.of(OnnxGraph.TOKENS, t, OnnxGraph.LENGTHS, l))) {
            Object value = result.get(0).getValue();
            if (task == Task.CLASSIFY) {
                float[][] p = (float[][]) value;
                float[][][] out = new float[p.length][][];
                for (int i = 0; i < p.length; i++) out[i] = new float[][] {p[i]};
                return out;
            }
            return (float[][][]) value;
        }
    }
}
