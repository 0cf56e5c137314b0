package org.neurite.models.run;

import org.neurite.models.data.Dataset;
import org.neurite.models.data.InputDataException;
import org.neurite.models.data.MnistDataset;

/**
 * The data of a run: training set (after {@code limit-train} and the validation split), the
 * validation set (null without {@code val-split}) and the test set.
 */
public record RunData(Dataset train, Dataset val, Dataset test, String source) {
    /** Loads the IDX folder {@code config.data()} (or the bundled sample) and splits it as configured. */
    public static RunData load(RunConfig config) throws InputDataException {
        MnistDataset fullTrain = config.data() == null ? MnistDataset.bundledSample(MnistDataset.Split.TRAIN)
                : MnistDataset.load(config.data(), MnistDataset.Split.TRAIN);
        MnistDataset test = config.data() == null ? MnistDataset.bundledSample(MnistDataset.Split.TEST)
                : MnistDataset.load(config.data(), MnistDataset.Split.TEST);
        Dataset train = Subset.first(fullTrain, config.limitTrain());
        Dataset val = null;
        if (config.valSplit() > 0) {
            Subset[] parts;
            try {
                parts = Subset.split(train, config.valSplit(), config.seed());
            } catch (IllegalArgumentException e) {
                String origin = config.origin("val-split");
                throw new ConfigException((origin.startsWith("--") ? origin : origin + ": val-split") + ": " + e.getMessage());
            }
            train = parts[0];
            val = parts[1];
        }
        return new RunData(train, val, test, fullTrain.source());
    }
}
