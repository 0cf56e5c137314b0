package org.neurite.models.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neurite.layers.Mode;
import org.neurite.layers.Module;
import org.neurite.layers.loss.MeanSquaredError;
import org.neurite.layers.optim.Adam;
import org.neurite.layers.optim.Optimizer;
import org.neurite.models.data.DataLoader;
import org.neurite.models.data.MnistDataset;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

class AutoencoderTest {

    @Test void parameterCount() {
        // (784*256 + 256) + (256*64 + 64) + (64*256 + 256) + (256*784 + 784)
        assertEquals(200_960 + 16_448 + 16_640 + 201_488, Autoencoder.build(new Rng(1)).parameterCount());
        assertEquals(435_536, ModelZoo.get("denoising-autoencoder").build(new Rng(1)).parameterCount());
        assertEquals(Shape.of(5, 784), Autoencoder.build(new Rng(1)).outputShape(Shape.of(5, 1, 28, 28)));
    }

    @Test void maskingZeroesAboutPAndOnlyInTraining() {
        Tensor x = Tensor.zeros(1, 10_000);
        x.fill(2f);
        Corruption c = Corruption.masking(0.3, new Rng(4));
        Tensor y = c.forward(x, Mode.TRAIN);
        int zeros = 0;
        for (float v : y.data()) {
            assertTrue(v == 0f || v == 2f);
            if (v == 0f) zeros++;
        }
        assertTrue(zeros > 2_800 && zeros < 3_200, "masked " + zeros + " of 10,000");
        Tensor g = Tensor.zeros(1, 10_000);
        g.fill(1f);
        Tensor dx = c.backward(g);
        for (int i = 0; i < 10_000; i++) assertEquals(y.get(i) == 0f ? 0f : 1f, dx.get(i), 0f);
        assertSame(x, c.forward(x, Mode.EVAL));
    }

    @Test void gaussianNoiseHasTheStatedSpreadAndIsSeeded() {
        Tensor x = Tensor.zeros(1, 20_000);
        Tensor a = Corruption.gaussian(0.5, new Rng(9)).forward(x, Mode.TRAIN).copy();
        Tensor b = Corruption.gaussian(0.5, new Rng(9)).forward(x, Mode.TRAIN);
        double sum = 0, sq = 0;
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i), b.get(i), 0f);
            sum += a.get(i);
            sq += a.get(i) * a.get(i);
        }
        double mean = sum / a.size(), std = Math.sqrt(sq / a.size() - mean * mean);
        assertEquals(0, mean, 0.02);
        assertEquals(0.5, std, 0.02);
    }

    /** 150 Adam steps on the bundled digits: the reconstruction error of clean test digits falls. */
    @Test void denoisingAutoencoderLearnsToReconstruct() throws Exception {
        MnistDataset train = MnistDataset.bundledSample(MnistDataset.Split.TRAIN);
        Tensor test = MnistDataset.bundledSample(MnistDataset.Split.TEST).images();
        Module ae = Autoencoder.buildDenoising(new Rng(3));
        MeanSquaredError mse = new MeanSquaredError();
        double before = mse.forward(ae.forward(test, Mode.EVAL), test);
        Optimizer opt = new Adam(ae.params(), Adam.Config.adam(1e-3));
        try (DataLoader loader = DataLoader.builder(train).batchSize(32).shuffle(5).dropLast(true).prefetch(false).build()) {
            int steps = 0;
            for (int epoch = 0; steps < 150; epoch++) {
                try (DataLoader.Epoch e = loader.epoch(epoch)) {
                    while (steps < 150 && e.next()) {
                        Tensor x = e.inputs();
                        mse.forward(ae.forward(x, Mode.TRAIN), x);  // the target is the clean input
                        ae.zeroGrad();
                        ae.backward(mse.backward());
                        opt.step();
                        steps++;
                    }
                }
            }
        }
        double after = mse.forward(ae.forward(test, Mode.EVAL), test);
        // the baseline: predict every test digit as the mean training digit
        Tensor all = train.images();
        float[] meanImage = new float[784];
        for (int i = 0; i < all.size(); i++) meanImage[i % 784] += all.get(i) / train.size();
        Tensor baseline = Tensor.zeros(test.shape().dim(0), 784);
        for (int i = 0; i < baseline.size(); i++) baseline.set(i, meanImage[i % 784]);
        double meanImageMse = mse.forward(baseline, test);
        System.out.println("# denoising autoencoder test MSE " + before + " -> " + after + " (mean image " + meanImageMse + ")");
        assertTrue(after < 0.6 * meanImageMse && after < before / 3, "test MSE " + before + " -> " + after + ", mean image " + meanImageMse);
    }
}
