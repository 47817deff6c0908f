package io.recur.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Objects;

/**
 * Where training stands after an epoch, complete enough to continue as if it had not stopped:
 * the network as training left it (parameters and updater state), the best parameters and their
 * updater state, the early-stopping counters and the log so far. The random state needs no field:
 * {@link AveragingTrainer} reseeds from the job seed and the epoch number at the start of every
 * epoch, so {@link #epoch} is the random state.
 *
 * @param epoch              epochs completed; 0 before the first
 * @param network            parameters and updater state after {@code epoch}
 * @param bestParams         parameters with the lowest validation loss so far; null before any
 * @param bestUpdaterState   their updater state; null when the updater keeps none (sgd) or before any
 * @param bestEpoch          the epoch of {@code bestParams}; 0 = the parameters training started from
 * @param bestValidationLoss positive infinity before any
 * @param epochsSinceBest    epochs in a row without improvement, for {@code train.patience}
 * @param fitSeconds         time spent fitting, over all epochs so far (throughput)
 * @param seconds            wall time of training so far, validation included
 * @param log                one record per completed epoch, in order
 */
public record Checkpoint(int epoch, MultiLayerNetwork network, INDArray bestParams, INDArray bestUpdaterState,
                         int bestEpoch, double bestValidationLoss, int epochsSinceBest,
                         double fitSeconds, double seconds, List<EpochRecord> log) {
    public Checkpoint {
        Objects.requireNonNull(network, "network");
        log = List.copyOf(log);
        if (log.size() != epoch)
            throw new IllegalArgumentException("a checkpoint after epoch " + epoch + " needs as many log records, had " + log.size());
    }

    /** Training from scratch: nothing is best yet. */
    public static Checkpoint start(MultiLayerNetwork network) {
        return new Checkpoint(0, network, null, null, 0, Double.POSITIVE_INFINITY, 0, 0, 0, List.of());
    }

    /**
     * Training that continues from parameters that already have a validation loss (a warm start):
     * they stay the best until an epoch beats them, so a warm start never ends worse than it began.
     */
    public static Checkpoint continuing(MultiLayerNetwork network, double validationLoss) {
        INDArray state = network.getUpdater().getStateViewArray();
        return new Checkpoint(0, network, network.params().dup(), state == null ? null : state.dup(), 0,
                validationLoss, 0, 0, 0, List.of());
    }
}
