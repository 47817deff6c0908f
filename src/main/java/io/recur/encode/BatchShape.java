package io.recur.encode;

import org.nd4j.linalg.dataset.DataSet;

import java.io.Serializable;

/**
 * How much of the processed time steps were real: the recurrent layers run over every step of a
 * padded batch, so {@link #paddingFraction()} is the share of their work spent on padding.
 *
 * @param steps     batch size × padded length, summed over batches
 * @param realSteps unmasked steps, summed over batches
 */
public record BatchShape(long batches, long examples, long steps, long realSteps)
        implements Serializable {

    public static BatchShape of(DataSet ds) {
        long examples = ds.getFeatures().size(0);
        long length = ds.getFeatures().size(2);
        long real = ds.getFeaturesMaskArray().sumNumber().longValue();
        return new BatchShape(1, examples, examples * length, real);
    }

    public BatchShape plus(BatchShape o) {
        return new BatchShape(batches + o.batches, examples + o.examples, steps + o.steps, realSteps + o.realSteps);
    }

    public static BatchShape none() {
        return new BatchShape(0, 0, 0, 0);
    }

    public double paddingFraction() {
        return steps == 0 ? 0.0 : 1.0 - (double) realSteps / steps;
    }
}
