package org.neurite.models.zoo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neurite.layers.Module;
import org.neurite.layers.loss.SoftmaxCrossEntropy;
import org.neurite.layers.optim.LrSchedule;
import org.neurite.layers.optim.Sgd;
import org.neurite.models.data.DataLoader;
import org.neurite.models.data.MnistDataset;
import org.neurite.models.train.EpochStats;
import org.neurite.models.train.Trainer;
import org.neurite.runtime.Rng;

/**
 * ResNet-20 (1-channel stem) learns the bundled MNIST digits padded to 32x32: a training test, not
 * a timing test. One epoch of 2,000 digits in batches of 16 (125 steps, SGD with cosine decay),
 * then the 500 test digits in evaluation mode.
 */
class ResNetTrainingTest {

    @Test void resnet20LearnsPaddedDigits() throws Exception {
        PaddedDigits train = new PaddedDigits(MnistDataset.bundledSample(MnistDataset.Split.TRAIN));
        PaddedDigits test = new PaddedDigits(MnistDataset.bundledSample(MnistDataset.Split.TEST));
        Module model = ResNet.cifar(3, 1, 10, new Rng(7));
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        Trainer trainer = new Trainer(model, loss, new Sgd(model.params(), Sgd.Config.of(0.05).withMomentum(0.9).withWeightDecay(1e-4)));
        // cosine decay to 0: the weights settle at the end, so batch norm's running statistics catch up
        trainer.setSchedule(LrSchedule.cosine(0.05, 125, 0));
        double[] sums = new double[126];   // sums[b]: loss summed over the samples of batches 1..b
        try (DataLoader loader = DataLoader.builder(train).batchSize(16).shuffle(7).dropLast(true).build();
             DataLoader testLoader = DataLoader.builder(test).batchSize(100).build()) {
            trainer.trainEpoch(loader, 0, new Trainer.Listener() {
                @Override public void onBatch(int epoch, int batch, int batches, double runningLoss, double runningAccuracy, long samples) {
                    sums[batch] = runningLoss * samples;
                }
            });
            EpochStats t = Trainer.evaluate(model, loss, testLoader);
            double first = sums[10] / (10 * 16), last = (sums[125] - sums[105]) / (20 * 16);
            System.out.printf("# ResNet-20 on padded digits: mean loss %.3f over steps 1-10, %.3f over steps 106-125; test accuracy %.3f%n",
                    first, last, t.accuracy());
            assertTrue(last < first * 0.5, "mean batch loss " + first + " -> " + last);
            assertTrue(t.accuracy() > 0.5, "test accuracy " + t.accuracy() + " (chance is 0.1)");
        }
    }
}
