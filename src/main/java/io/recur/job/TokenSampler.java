package io.recur.job;

import io.recur.vocab.Vocabulary;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Picks the next token id from a model's output distribution with temperature and top-k.
 * {@code <pad>} and {@code <bos>} are never picked (the model is never asked to predict them), and
 * neither is {@code <unk>}: it stands for every rare token at once, so printing it says nothing.
 * The remaining probabilities are renormalised. Not thread-safe: it owns its {@link Random}.
 */
final class TokenSampler {
    private final SamplingSpec spec;
    private final Random random;

    TokenSampler(SamplingSpec spec) {
        this.spec = spec;
        this.random = new Random(spec.seed());
    }

    /** @param probabilities the model's softmax output over the vocabulary */
    int pick(double[] probabilities) {
        Integer[] ranked = ranked(probabilities);
        if (ranked.length == 0)
            throw new IllegalArgumentException("the vocabulary has only reserved ids; nothing to sample");
        if (spec.greedy()) return ranked[0];
        Integer[] candidates = spec.topK() > 0 ? Arrays.copyOf(ranked, Math.min(spec.topK(), ranked.length)) : ranked;
        double[] weights = new double[candidates.length];
        double top = Math.log(probabilities[candidates[0]]);
        double total = 0;
        for (int i = 0; i < candidates.length; i++) {
            // Relative to the most likely candidate, so that exp() cannot overflow at low temperatures.
            weights[i] = Math.exp((Math.log(probabilities[candidates[i]]) - top) / spec.temperature());
            total += weights[i];
        }
        if (!(total > 0) || Double.isInfinite(total)) return candidates[0];
        double r = random.nextDouble() * total;
        for (int i = 0; i < candidates.length; i++) {
            r -= weights[i];
            if (r < 0) return candidates[i];
        }
        return candidates[candidates.length - 1];
    }

    /**
     * The ids that can be picked, most probable first; ties are broken by the lower id, so the order
     * and hence the text never depend on sort stability. {@code predict} lists the same ranking.
     */
    static Integer[] ranked(double[] probabilities) {
        return IntStream.range(0, probabilities.length)
                .filter(TokenSampler::sampleable)
                .boxed()
                .sorted(Comparator.comparingDouble((Integer id) -> -probabilities[id]).thenComparingInt(id -> id))
                .toArray(Integer[]::new);
    }

    private static boolean sampleable(int id) {
        return id != Vocabulary.PAD_ID && id != Vocabulary.BOS_ID && id != Vocabulary.UNK_ID;
    }
}
