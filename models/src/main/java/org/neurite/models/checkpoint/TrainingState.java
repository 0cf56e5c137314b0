package org.neurite.models.checkpoint;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a training run stands, saved beside its weights so it can resume exactly.
 *
 * @param modelName     the model builder's name, e.g. {@code lenet5}
 * @param optimizerName the optimizer's name, e.g. {@code sgd} or {@code adam}
 * @param epoch         the epoch to run next (epochs completed when saved at an epoch boundary)
 * @param batchInEpoch  batches of {@code epoch} already done; 0 at an epoch boundary
 * @param globalStep    optimizer steps taken in the whole run
 * @param rngState      the trainer's {@link org.neurite.runtime.Rng#saveState()} (dropout, augmentation)
 * @param config        the resolved training configuration, as strings
 * @param progress      counters a resumed run needs besides the above, by name: the running sums of
 *                      a checkpoint taken mid-epoch, early-stopping state, skipped steps
 */
public record TrainingState(
        String modelName,
        String optimizerName,
        int epoch,
        int batchInEpoch,
        long globalStep,
        byte[] rngState,
        Map<String, String> config,
        Map<String, Double> progress) {

    /** A state without progress counters. */
    public TrainingState(String modelName, String optimizerName, int epoch, int batchInEpoch, long globalStep,
                         byte[] rngState, Map<String, String> config) {
        this(modelName, optimizerName, epoch, batchInEpoch, globalStep, rngState, config, Map.of());
    }

    public TrainingState {
        if (epoch < 0 || batchInEpoch < 0 || globalStep < 0) {
            throw new IllegalArgumentException("negative progress: epoch " + epoch + ", batch " + batchInEpoch + ", step " + globalStep);
        }
        rngState = rngState == null ? new byte[0] : rngState.clone();
        config = config == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(config)); // sorted: stable JSON
        progress = progress == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(progress));
    }

    /** A progress counter, or {@code otherwise} when the checkpoint has none by that name. */
    public double progress(String name, double otherwise) {
        Double v = progress.get(name);
        return v == null ? otherwise : v;
    }

    /** A copy of the saved generator state (records hand out arrays by reference otherwise). */
    @Override public byte[] rngState() { return rngState.clone(); }
}
