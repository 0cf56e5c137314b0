package org.neurite.layers.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neurite.layers.Mode;
import org.neurite.layers.dropout.Dropout;
import org.neurite.layers.dropout.DropoutCuda;
import org.neurite.layers.lrn.LocalResponseNorm;
import org.neurite.layers.norm.BatchNormGeometry;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Tensor;

/** Batch-norm, LRN and dropout parameters handed to cuDNN and the kernels, worked out by hand. */
class NormDescriptorsTest {

    @Test void batchNormOverImagesIsSpatialWithPackedStrides() {
        BatchNormDescriptors d = BatchNormDescriptors.of(BatchNormGeometry.contiguous(4, 3, 5 * 6));
        assertEquals(1, d.mode(), "CUDNN_BATCHNORM_SPATIAL");
        assertArrayEquals(new int[] {4, 3, 30, 1}, d.xDims());
        assertArrayEquals(new int[] {90, 30, 1, 1}, d.xStrides());
        assertArrayEquals(new int[] {90, 30, 1, 1}, d.yStrides());
        assertArrayEquals(new int[] {1, 3, 1, 1}, d.paramDims());
    }

    @Test void batchNormOverFeaturesIsPerActivation() {
        BatchNormDescriptors d = BatchNormDescriptors.of(BatchNormGeometry.contiguous(8, 16, 1));
        assertEquals(0, d.mode(), "CUDNN_BATCHNORM_PER_ACTIVATION, as PyTorch for [N, C]");
        assertArrayEquals(new int[] {8, 16, 1, 1}, d.xDims());
        assertArrayEquals(new int[] {16, 1, 1, 1}, d.xStrides());
    }

    @Test void batchNormChannelPrefixOfWiderBuffersUsesSampleStrides() {
        // first 4 of 10 channels of x [2, 10, 3, 3] into the first 4 of 6 channels of y [2, 6, 3, 3]
        BatchNormDescriptors d = BatchNormDescriptors.of(new BatchNormGeometry(2, 4, 9, 90, 54));
        assertArrayEquals(new int[] {2, 4, 9, 1}, d.xDims());
        assertArrayEquals(new int[] {90, 9, 1, 1}, d.xStrides());
        assertArrayEquals(new int[] {54, 9, 1, 1}, d.yStrides());
    }

    @Test void momentumIsTheExponentialAverageFactorAndEpsIsTheFloatsValue() {
        assertEquals(0.1f, BatchNormDescriptors.exponentialAverageFactor(0.1f), 0.0);
        assertEquals(0.0, BatchNormDescriptors.exponentialAverageFactor(0f), 0.0);
        assertThrows(IllegalArgumentException.class, () -> BatchNormDescriptors.exponentialAverageFactor(1.5f));
        // 1e-5f is 9.99999974737875e-6 as a double: below cuDNN 7's minimum 1e-5, fine for cuDNN 8/9's 0
        assertEquals(9.99999974737875e-6, BatchNormDescriptors.epsilon(1e-5f), 1e-20);
        assertThrows(IllegalArgumentException.class, () -> BatchNormDescriptors.epsilon(0f));
    }

    @Test void lrnWindowsAgreeForOddSizesAndMirrorForEvenOnes() {
        // size 5, channel 7: both [5, 9]
        assertEquals(5, LrnDescriptors.cudnnLow(7, 5));
        assertEquals(9, LrnDescriptors.cudnnHigh(7, 5));
        assertEquals(5, LrnDescriptors.torchLow(7, 5));
        assertEquals(9, LrnDescriptors.torchHigh(7, 5));
        // size 4, channel 7: cuDNN [6, 9] (lookBehind floor(3/2) = 1, lookAhead 2); PyTorch [5, 8]
        assertEquals(6, LrnDescriptors.cudnnLow(7, 4));
        assertEquals(9, LrnDescriptors.cudnnHigh(7, 4));
        assertEquals(5, LrnDescriptors.torchLow(7, 4));
        assertEquals(8, LrnDescriptors.torchHigh(7, 4));
        for (int n = 1; n <= 16; n++) {
            assertEquals(n, LrnDescriptors.cudnnHigh(0, n) - LrnDescriptors.cudnnLow(0, n) + 1, "cuDNN window width " + n);
            assertEquals(n, LrnDescriptors.torchHigh(0, n) - LrnDescriptors.torchLow(0, n) + 1, "PyTorch window width " + n);
            assertEquals(n % 2 == 1, LrnDescriptors.cudnnLow(0, n) == LrnDescriptors.torchLow(0, n), "windows agree iff odd, n " + n);
        }
    }

    @Test void lrnUsesCudnnOnlyWhereItMatches() {
        LrnDescriptors alex = LrnDescriptors.of(LocalResponseNorm.Config.of(5, 1e-4f, 0.75f, 2f));
        assertTrue(alex.useCudnn(), alex.reason());
        assertEquals(5, alex.n());
        assertEquals(1e-4f, alex.alpha(), 0.0, "alpha as given: cuDNN divides it by n, as the CPU engine");
        assertEquals(0.75, alex.beta(), 0.0);
        assertEquals(2.0, alex.k(), 0.0);
        LrnDescriptors even = LrnDescriptors.of(LocalResponseNorm.Config.of(4));
        assertFalse(even.useCudnn());
        assertTrue(even.reason().contains("even"), even.reason());
        assertFalse(LrnDescriptors.of(LocalResponseNorm.Config.of(17)).useCudnn(), "size above 16");
        assertTrue(LrnDescriptors.of(LocalResponseNorm.Config.of(15)).useCudnn());
        assertFalse(LrnDescriptors.of(LocalResponseNorm.Config.of(3, 1e-4f, 0.75f, 1e-6f)).useCudnn(), "k below 1e-5");
        assertFalse(LrnDescriptors.of(LocalResponseNorm.Config.of(3, 1e-4f, 0f, 1f)).useCudnn(), "beta below 0.01");
    }

    @Test void dropoutMaskIsTheCpuModulesMaskForTheSameSeed() {
        int n = 1000;
        float p = 0.3f;
        Dropout cpu = new Dropout(p, new Rng(42));
        Tensor ones = Tensor.zeros(n);
        ones.fill(1f);
        float[] cpuMask = cpu.forward(ones, Mode.TRAIN).data();   // y = 1 * mask
        float[] mask = new float[n];
        DropoutCuda.drawMask(new Rng(42), p, mask);
        assertArrayEquals(cpuMask, mask);
        int dropped = 0;
        for (float m : mask) {
            if (m == 0f) dropped++;
            else assertEquals(1f / 0.7f, m, 0f);
        }
        assertTrue(dropped > 240 && dropped < 360, "about 30% dropped: " + dropped);
    }
}
