package io.recur.corpus;

import io.recur.config.SplitSpec;
import io.recur.storage.Sha256;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Assigns an example to train, validation or test from its content alone.
 *
 * <p>The rule: take SHA-256 of the UTF-8 bytes of the example's key ({@link CorpusRecord#splitKey}:
 * its canonical fields, label and tags included; for a line of the bundled corpora the decoded
 * line without its line break), read the first 8 bytes as a big-endian unsigned number, keep its top 53
 * bits and divide by 2<sup>53</sup> to get {@code u} in [0, 1). Then {@code u < train} is TRAIN,
 * {@code u < train + validation} is VALIDATION, anything else TEST. So duplicate examples share a
 * split, and the assignment does not depend on file names, line order, partitioning, the container,
 * the run or the machine; appending examples to a corpus leaves the old ones where they were.
 *
 * <p><b>This hash function is part of the data contract.</b> Changing it (or the fractions)
 * reshuffles every held-out set, so scores from before and after the change are not comparable
 * and training data leaks into old test sets.
 */
public final class StableSplit implements Serializable {
    private final double trainFraction;
    private final double validationFraction;

    public StableSplit(SplitSpec spec) {
        this.trainFraction = spec.trainFraction();
        this.validationFraction = spec.validationFraction();
    }

    /** The split of an example's key. */
    public Split assign(String key) {
        double u = unitHash(key);
        if (u < trainFraction) return Split.TRAIN;
        if (u < trainFraction + validationFraction) return Split.VALIDATION;
        return Split.TEST;
    }

    /**
     * Whether a training example is among the first {@code subset} of the training split
     * ({@code split.train-subset}): the same rule applied to a text made of the example's label,
     * tokens and tags (not the raw line, which an example no longer holds), with a prefix so that
     * the value is independent of the one that chose the split. A smaller subset is therefore
     * contained in a larger one, whatever the run, partitioning or machine.
     */
    public static boolean inTrainSubset(Example e, double subset) {
        if (subset >= 1) return true;
        String content = "train-subset\0" + e.label() + "\0" + String.join("\1", e.tokens())
                + "\0" + (e.tags() == null ? "" : String.join("\1", e.tags()));
        return unitHash(content) < subset;
    }

    /** The line's position in [0, 1) under the rule above. */
    static double unitHash(String line) {
        byte[] digest = Sha256.digest().digest(line.getBytes(StandardCharsets.UTF_8));
        long bits = ByteBuffer.wrap(digest, 0, Long.BYTES).getLong();
        return (bits >>> 11) * 0x1.0p-53;
    }
}
