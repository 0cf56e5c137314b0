package org.neurite.models.run;

import org.neurite.models.data.Dataset;
import org.neurite.models.data.InputDataException;
import org.neurite.models.data.CifarDataset;
import org.neurite.models.data.ImageFolderDataset;
import org.neurite.models.data.MnistDataset;
import org.neurite.models.zoo.ModelZoo;
import org.neurite.runtime.Shape;

/**
 * The data of a run: training set (after {@code limit-train} and the validation split), the
 * validation set (null without {@code val-split}) and the test set.
 */
public record RunData(Dataset train, Dataset val, Dataset test, String source) {
    /**
     * Loads {@code config.data()} (see {@link DataSpec}; null: the bundled MNIST sample) and splits
     * it as configured. Image folders are resized to the model's input.
     */
    public static RunData load(RunConfig config) throws InputDataException {
        DataSpec spec = DataSpec.of(config.data());
        Dataset fullTrain;
        Dataset test;
        String source;
        if (spec == null || spec.kind() == DataSpec.Kind.MNIST) {
            MnistDataset t = spec == null ? MnistDataset.bundledSample(MnistDataset.Split.TRAIN) : MnistDataset.load(spec.path(), MnistDataset.Split.TRAIN);
            fullTrain = t;
            test = spec == null ? MnistDataset.bundledSample(MnistDataset.Split.TEST) : MnistDataset.load(spec.path(), MnistDataset.Split.TEST);
            source = t.source();
        } else if (spec.kind() == DataSpec.Kind.CIFAR10 || spec.kind() == DataSpec.Kind.CIFAR100) {
            CifarDataset.Variant v = spec.kind() == DataSpec.Kind.CIFAR10 ? CifarDataset.Variant.CIFAR10 : CifarDataset.Variant.CIFAR100;
            fullTrain = CifarDataset.load(spec.path(), v, true);
            test = CifarDataset.load(spec.path(), v, false);
            source = spec.path() + " (" + v + ")";
        } else if (spec.kind() == DataSpec.Kind.FOLDER) {
            Shape in = ModelZoo.get(config.model()).inputShape(); // [C, H, W]
            if (in.rank() != 3) throw InputDataException.in(spec.path().toString(), "image folders need an image model; " + config.model() + " takes " + in);
            fullTrain = ImageFolderDataset.load(spec.path().resolve("train"), in.dim(1), in.dim(2), in.dim(0));
            test = ImageFolderDataset.load(spec.path().resolve("test"), in.dim(1), in.dim(2), in.dim(0));
            source = spec.path().toString();
        } else {
            throw InputDataException.in(spec.path().toString(), "text data trains the character models (char-rnn, char-lstm, char-gru), not " + config.model());
        }
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
        return new RunData(train, val, test, source);
    }
}
