package io.recur.job;

import io.recur.config.TokenizerKind;
import io.recur.config.UserInputException;
import io.recur.corpus.Tokenizer;
import io.recur.run.SavedRun;
import io.recur.task.CorpusTask;
import io.recur.task.Prediction;
import io.recur.task.TaskKind;
import io.recur.vocab.Vocabulary;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.List;

/**
 * Text sampled from a language model, one token at a time, in this JVM. The prompt is fed once as
 * {@code <bos>} followed by its tokens; after that each sampled token is fed alone while the
 * network keeps its recurrent state ({@link MultiLayerNetwork#rnnTimeStep}), so a sample of n
 * tokens costs n steps, not n²/2. Generation stops at {@code <eos>} or after
 * {@link SamplingSpec#maxTokens()}.
 *
 * <p>Tokens are joined as the run's tokenizer split them: {@code char} tokens are concatenated
 * (a space is itself a token), {@code word} and {@code whitespace} tokens are joined with single
 * spaces. Prompt tokens the vocabulary lacks are fed as {@code <unk>}.
 *
 * <p>Not thread-safe: sampling uses and then clears the network's stored recurrent state.
 */
public final class GenerateJob {
    /** Default {@code --length} for character models: a few lines of text. */
    static final int DEFAULT_CHARS = 200;
    /** Default {@code --length} for word models. */
    static final int DEFAULT_WORDS = 40;

    private final SavedRun run;
    private final Tokenizer tokenizer;
    private final boolean characters;

    public GenerateJob(SavedRun run) {
        if (!(TaskKind.of(run.spec().task()) instanceof CorpusTask task) || task.prediction() != Prediction.NEXT_TOKENS)
            throw new UserInputException("--model: run " + run.provenance().jobName() + "/" + run.provenance().runId()
                    + " was trained with job.task = " + run.spec().task().label()
                    + "; generate samples from language models (job.task = lm)");
        this.run = run;
        var c = run.spec().corpus();
        this.tokenizer = Tokenizer.of(c.textTokenizer(), c.lowercase());
        this.characters = c.tokenizer() == TokenizerKind.CHAR;
    }

    /** A few lines of text for a character model, a sentence or two for a word model. */
    public int defaultLength() {
        return characters ? DEFAULT_CHARS : DEFAULT_WORDS;
    }

    /**
     * Continues {@code prompt} (may be empty: the model then starts a line of its own).
     * The same prompt and spec always give the same sample.
     */
    public Sample generate(String prompt, SamplingSpec spec) {
        List<String> promptTokens = promptTokens(prompt);
        boolean trailingSpace = endsWithSpace(prompt);
        Vocabulary vocab = run.vocab();
        int[] fed = fed(promptTokens);

        TokenSampler sampler = new TokenSampler(spec);
        MultiLayerNetwork net = run.network();
        List<String> generated = new ArrayList<>();
        boolean endOfSequence = false;
        net.rnnClearPreviousState();
        try {
            double[] next = lastStep(net.rnnTimeStep(input(fed)));
            while (generated.size() < spec.maxTokens()) {
                int id = sampler.pick(next);
                if (id == Vocabulary.EOS_ID) {
                    endOfSequence = true;
                    break;
                }
                generated.add(vocab.token(id));
                if (generated.size() < spec.maxTokens()) next = lastStep(net.rnnTimeStep(input(new int[]{id})));
            }
        } finally {
            net.rnnClearPreviousState();
        }
        return new Sample(prompt, join(promptTokens, generated, trailingSpace), generated, endOfSequence);
    }

    /**
     * The model's distribution over the vocabulary for the token that follows the whole of
     * {@code prompt}: the distribution {@link #generate} samples its first token from.
     */
    public double[] nextTokenProbabilities(String prompt) {
        MultiLayerNetwork net = run.network();
        net.rnnClearPreviousState();
        try {
            return lastStep(net.rnnTimeStep(input(fed(promptTokens(prompt)))));
        } finally {
            net.rnnClearPreviousState();
        }
    }

    /**
     * {@link #nextTokenProbabilities(String)} of several prompts in one forward pass over the padded
     * batch, each read at its own last real step; equal to stepping through each alone up to float rounding.
     */
    public List<double[]> nextTokenProbabilities(List<String> prompts) {
        List<int[]> fed = prompts.stream().map(p -> fed(promptTokens(p))).toList();
        int steps = fed.stream().mapToInt(ids -> ids.length).max().orElse(1);
        boolean oneHot = run.spec().model().embeddingSize() == 0;
        INDArray x = Nd4j.zeros(DataType.FLOAT, fed.size(), oneHot ? run.vocab().size() : 1, steps);
        INDArray mask = Nd4j.zeros(DataType.FLOAT, fed.size(), steps);
        for (int i = 0; i < fed.size(); i++) {
            int[] ids = fed.get(i);
            for (int t = 0; t < ids.length; t++) {
                if (oneHot) x.putScalar(new long[]{i, ids[t], t}, 1f);
                else x.putScalar(new long[]{i, 0, t}, ids[t]);
                mask.putScalar(i, t, 1f);
            }
        }
        INDArray out = run.network().output(x, false, mask, null);
        List<double[]> p = new ArrayList<>(fed.size());
        for (int i = 0; i < fed.size(); i++)
            p.add(out.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.point(fed.get(i).length - 1))
                    .castTo(DataType.DOUBLE).toDoubleVector());
        return p;
    }

    private List<String> promptTokens(String prompt) {
        List<String> tokens = new ArrayList<>(tokenizer.tokenize(prompt));
        // The char tokenizer drops trailing white space, but "call me " asks for the next word, not a letter.
        if (characters && endsWithSpace(prompt) && !tokens.isEmpty()) tokens.add(" ");
        return tokens;
    }

    private static boolean endsWithSpace(String prompt) {
        return !prompt.isEmpty() && Character.isWhitespace(prompt.codePointBefore(prompt.length()));
    }

    /** {@code <bos>} and the prompt's ids; a token the vocabulary lacks is {@code <unk>}. */
    private int[] fed(List<String> promptTokens) {
        int[] fed = new int[promptTokens.size() + 1];
        fed[0] = Vocabulary.BOS_ID;
        for (int i = 0; i < promptTokens.size(); i++) fed[i + 1] = run.vocab().id(promptTokens.get(i));
        return fed;
    }

    /**
     * The distributions the network predicts after each of {@code ids}, computed by stepping
     * through them one at a time with stored state. Each row equals the full-sequence forward
     * pass at that step; tests use it to check that state is carried.
     */
    double[][] stepwise(int[] ids) {
        MultiLayerNetwork net = run.network();
        net.rnnClearPreviousState();
        try {
            double[][] out = new double[ids.length][];
            for (int t = 0; t < ids.length; t++) out[t] = lastStep(net.rnnTimeStep(input(new int[]{ids[t]})));
            return out;
        } finally {
            net.rnnClearPreviousState();
        }
    }

    /** Shaped like {@link io.recur.encode.SequenceEncoder}'s input: ids {@code [1,1,n]} or one-hot {@code [1,V,n]}. */
    INDArray input(int[] ids) {
        boolean oneHot = run.spec().model().embeddingSize() == 0;
        INDArray x = Nd4j.zeros(DataType.FLOAT, 1, oneHot ? run.vocab().size() : 1, ids.length);
        for (int t = 0; t < ids.length; t++) {
            if (oneHot) x.putScalar(new long[]{0, ids[t], t}, 1f);
            else x.putScalar(new long[]{0, 0, t}, ids[t]);
        }
        return x;
    }

    private static double[] lastStep(INDArray out) {
        return out.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.point(out.size(2) - 1))
                .castTo(DataType.DOUBLE).toDoubleVector();
    }

    private String join(List<String> promptTokens, List<String> generated, boolean trailingSpace) {
        if (characters) return String.join("", generated);
        // Word tokens: one space between the prompt and the first generated token unless the prompt ends with one.
        String joined = String.join(" ", generated);
        return promptTokens.isEmpty() || trailingSpace || joined.isEmpty() ? joined : " " + joined;
    }

    /**
     * One generated text.
     *
     * @param prompt        the prompt as given
     * @param continuation  the generated text, ready to append to the prompt
     * @param tokens        the generated tokens, {@code <eos>} excluded
     * @param endOfSequence true when the model ended the text with {@code <eos>}, false when it was cut
     *                      at the maximum length
     */
    public record Sample(String prompt, String continuation, List<String> tokens, boolean endOfSequence) {
        public Sample {
            tokens = List.copyOf(tokens);
        }

        /** Prompt and continuation. */
        public String text() {
            return prompt + continuation;
        }
    }
}
