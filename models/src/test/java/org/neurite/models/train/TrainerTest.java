package org.neurite.models.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurite.layers.Module;
import org.neurite.layers.Param;
import org.neurite.layers.loss.SoftmaxCrossEntropy;
import org.neurite.layers.optim.Sgd;
import org.neurite.models.data.DataLoader;
import org.neurite.models.data.MnistDataset;
import org.neurite.models.zoo.LeNet5;
import org.neurite.runtime.Parallel;
import org.neurite.runtime.Rng;

/** LeNet-5 training on the bundled sample: it learns, and it is reproducible. */
class TrainerTest {
    private static List<float[]> trainOnce(long seed, int epochs, double[] accuracyOut) throws Exception {
        MnistDataset train = MnistDataset.bundledSample(MnistDataset.Split.TRAIN);
        MnistDataset test = MnistDataset.bundledSample(MnistDataset.Split.TEST);
        Module model = LeNet5.build(new Rng(seed));
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        Trainer trainer = new Trainer(model, loss, new Sgd(model.params(), 0.01, 0.9));
        try (DataLoader loader = DataLoader.builder(train).batchSize(32).shuffle(seed + 1).build();
             DataLoader testLoader = DataLoader.builder(test).batchSize(250).build()) {
            for (int e = 1; e <= epochs; e++) trainer.trainEpoch(loader, e, null);
            if (accuracyOut != null) accuracyOut[0] = Trainer.evaluate(model, loss, testLoader).accuracy();
        }
        return model.params().stream().map(p -> p.value().data().clone()).toList();
    }

    @Test void sameSeedAndThreadsGiveIdenticalWeights() throws Exception {
        int before = Parallel.threads();
        try {
            Parallel.setThreads(2);
            List<float[]> a = trainOnce(7, 1, null);
            List<float[]> b = trainOnce(7, 1, null);
            assertEquals(a.size(), b.size());
            for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i), b.get(i), "parameter " + i + " differs");
            List<float[]> other = trainOnce(8, 1, null);
            assertTrue(a.get(0)[0] != other.get(0)[0], "another seed should give other weights");
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test void lenet5LearnsTheSample() throws Exception {
        double[] acc = new double[1];
        trainOnce(3, 2, acc);
        // 2 epochs over 2,000 digits: chance is 0.10; this run reaches about 0.9.
        assertTrue(acc[0] > 0.85, "test accuracy " + acc[0]);
    }

    @Test void lenet5HasThePublishedParameterCount() {
        Module m = LeNet5.build(new Rng(0));
        assertEquals(61_706, m.parameterCount());
        List<String> names = m.params().stream().map(Param::name).toList();
        assertEquals(List.of("conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight", "fc1.bias",
                "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"), names);
    }
}
