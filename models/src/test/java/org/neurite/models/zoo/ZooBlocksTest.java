package org.neurite.models.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neurite.layers.Concat;
import org.neurite.layers.GradCheck;
import org.neurite.layers.Mode;
import org.neurite.layers.Module;
import org.neurite.layers.Sequential;
import org.neurite.layers.activation.Activation;
import org.neurite.layers.conv.Conv2d;
import org.neurite.layers.norm.BatchNorm2d;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/** The building blocks: an Inception block, activation memory from shapes, the nested summary. */
class ZooBlocksTest {

    @Test void inceptionBlockConcatenatesItsFourBranches() {
        // inception3a: 64 + 128 + 32 + 32 = 256 channels at the input's resolution
        Concat block = GoogLeNet.inception(192, 64, 96, 128, 16, 32, 32, new Rng(1));
        assertEquals(Shape.of(2, 256, 28, 28), block.outputShape(Shape.of(2, 192, 28, 28)));
        // torchvision counts: 1x1 12,288+128; 3x3 18,432+192+110,592+256; "5x5" 3,072+32+4,608+64; pool 6,144+64
        assertEquals(12_416 + 129_472 + 7_776 + 6_208, block.parameterCount());
        Concat small = GoogLeNet.inception(3, 2, 2, 3, 1, 2, 1, new Rng(2));
        Tensor x = Tensor.zeros(2, 3, 5, 5);
        new Rng(3).normal(x.data(), 0, x.size(), 0f, 1f);
        Tensor y = small.forward(x, Mode.TRAIN);
        assertEquals(Shape.of(2, 8, 5, 5), y.shape());
        for (float v : y.data()) assertTrue(v >= 0f);   // every branch ends in a ReLU
        assertEquals(Shape.of(2, 3, 5, 5), small.backward(y).shape());
    }

    private static Tensor random(long seed, int... dims) {
        Tensor x = Tensor.zeros(dims);
        new Rng(seed).normal(x.data(), 0, x.size(), 0f, 1f);
        return x;
    }

    /**
     * Sets every batch norm's shift to 3, so the ReLUs after them see inputs far from 0 and act as
     * the identity: batch-normalised values lie near 0, and with a handful of points each a kink
     * would sit within a finite-difference step of too many of them. The check is about the wiring
     * of the blocks (paths, sums, concatenation); the layers have their own checks.
     */
    private static <M extends Module> M awayFromKinks(M m) {
        if (m instanceof BatchNorm2d bn) bn.bias().value().fill(3f);
        for (Module c : m.children()) awayFromKinks(c);
        return m;
    }

    @Test void residualBlocksPassAGradientCheck() {
        // batch norm in training mode: batch statistics, a smooth function of every input
        GradCheck.standard().check(awayFromKinks(ResNet.basic(3, 4, 2, new Rng(4))), random(5, 3, 3, 6, 6), Mode.TRAIN, 6);  // projection
        GradCheck.standard().check(awayFromKinks(ResNet.basic(4, 4, 1, new Rng(7))), random(8, 3, 4, 5, 5), Mode.TRAIN, 9);  // identity
        GradCheck.standard().check(awayFromKinks(ResNet.bottleneck(8, 2, 2, new Rng(10))), random(11, 3, 8, 4, 4), Mode.TRAIN, 12);
    }

    @Test void inceptionBlockPassesAGradientCheck() {
        GradCheck.standard().check(awayFromKinks(GoogLeNet.inception(3, 2, 2, 3, 1, 2, 1, new Rng(13))), random(14, 3, 3, 4, 4), Mode.TRAIN, 15);
    }

    @Test void activationMemoryCountsOutputsAndInputGradients() {
        Sequential m = new Sequential()
                .add("conv", new Conv2d(Conv2d.config(1, 2, 3).padding(1).build(), new Rng(1)))  // y 2x4x4 = 32, dX 16
                .add("bn", new BatchNorm2d(2))                                                  // y 32, dX 32, stats 4
                .add("relu", Activation.relu());                                                // y 32, dX 32
        assertEquals(4L * (48 + 68 + 64), ActivationMemory.bytes(m, Shape.of(1, 1, 4, 4)));
        // batch 3: conv 96 + 48, bn 96 + 96 + 4, relu 96 + 96
        assertEquals(4L * (144 + 196 + 192), ActivationMemory.bytes(m, Shape.of(3, 1, 4, 4)));
    }

    @Test void nestedSummaryShowsBlocks() {
        String s = ModelSummary.of(ResNet.cifar(3, 10, new Rng(1)), ResNet.CIFAR_INPUT, 3);
        assertTrue(s.contains("layer2.0[shortcut]"), s);
        assertTrue(s.contains("total parameters: 272,474"), s);
        String top = ModelSummary.of(DenseNet.cifarBC(100, 12, 10, new Rng(1)), DenseNet.CIFAR_INPUT, 2);
        assertTrue(top.contains("features.denseblock1") && top.contains("216x32x32"), top);
    }
}
