package org.neurite.models.zoo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neurite.layers.Module;
import org.neurite.layers.loss.SoftmaxCrossEntropy;
import org.neurite.layers.optim.Sgd;
import org.neurite.models.data.DataLoader;
import org.neurite.models.data.MnistDataset;
import org.neurite.models.train.EpochStats;
import org.neurite.models.train.Trainer;
import org.neurite.runtime.Rng;

/** The 1998 LeNet-5 learns the bundled digits padded to 32x32, as the paper fed them. */
class LeNet1998Test {

    @Test void learnsPaddedDigits() throws Exception {
        PaddedDigits train = new PaddedDigits(MnistDataset.bundledSample(MnistDataset.Split.TRAIN));
        PaddedDigits test = new PaddedDigits(MnistDataset.bundledSample(MnistDataset.Split.TEST));
        Module model = LeNet1998.build(new Rng(11));
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        Trainer trainer = new Trainer(model, loss, new Sgd(model.params(), 0.05, 0.9));
        try (DataLoader loader = DataLoader.builder(train).batchSize(32).shuffle(3).dropLast(true).build();
             DataLoader testLoader = DataLoader.builder(test).batchSize(100).build()) {
            EpochStats before = Trainer.evaluate(model, loss, testLoader);
            for (int epoch = 0; epoch < 3; epoch++) trainer.trainEpoch(loader, epoch, null);
            EpochStats after = Trainer.evaluate(model, loss, testLoader);
            System.out.printf("# LeNet-5 (1998) on padded digits: test loss %.3f -> %.3f, accuracy %.3f -> %.3f%n",
                    before.loss(), after.loss(), before.accuracy(), after.accuracy());
            assertTrue(after.loss() < before.loss() / 2, "test loss " + before.loss() + " -> " + after.loss());
            assertTrue(after.accuracy() > 0.85, "test accuracy " + after.accuracy());
        }
    }
}
