package org.neurite.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.neurite.runtime.TensorAsserts.assertClose;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.neurite.layers.activation.Activation;
import org.neurite.layers.conv.Conv2d;
import org.neurite.layers.norm.BatchNorm2d;
import org.neurite.layers.norm.Buffers;
import org.neurite.runtime.Parallel;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

class DenseBlockTest {

    /** Passes its input through; the naive block's first Concat branch. */
    private static final class Identity extends Module {
        @Override public Shape outputShape(Shape s) { return s; }
        @Override public Tensor forward(Tensor x, Mode mode) { return x; }
        @Override public Tensor backward(Tensor dY) { return dY; }
    }

    /**
     * The textbook dense block: each layer is Concat(identity, layer), copying the whole feature map
     * every time. Today it is bit-identical to DenseBlock; the tests allow 1e-6 so that a change of
     * GEMM blocking does not break them.
     */
    private static Sequential naive(DenseBlock.Config c, Rng rng) {
        Sequential s = new Sequential();
        int k = c.growthRate(), b = c.bnSize() * k;
        for (int l = 0; l < c.layers(); l++) {
            int in = c.inChannels() + l * k;
            Sequential layer = new Sequential()
                    .add("norm1", new BatchNorm2d(in))
                    .add("relu1", Activation.relu())
                    .add("conv1", new Conv2d(Conv2d.config(in, b, 1).noBias().build(), rng))
                    .add("norm2", new BatchNorm2d(b))
                    .add("relu2", Activation.relu())
                    .add("conv2", new Conv2d(Conv2d.config(b, k, 3).padding(1).noBias().build(), rng));
            s.add("denselayer" + (l + 1), new Concat().add("", new Identity()).add("", layer));
        }
        return s;
    }

    /** A block and its naive twin with the same weights and statistics (copied by name). */
    private static Module[] twins(DenseBlock.Config c, long seed) {
        DenseBlock block = new DenseBlock(c, new Rng(seed));
        Sequential ref = naive(c, new Rng(seed + 1));
        Map<String, Param> byName = new java.util.HashMap<>();
        for (Param p : ref.params()) byName.put(p.name(), p);
        assertEquals(ref.params().size(), block.params().size());
        Rng rng = new Rng(seed + 2);
        for (Param p : block.params()) {
            if (p.name().contains("norm")) rng.uniform(p.value().data(), 0, p.value().size(), 0.5f, 1.5f);   // not 1 and 0
            byName.get(p.name()).value().copyFrom(p.value());
        }
        Map<String, Tensor> refBuffers = Buffers.of(ref);
        assertEquals(List.copyOf(refBuffers.keySet()), List.copyOf(block.buffers().keySet()));
        for (Map.Entry<String, Tensor> e : block.buffers().entrySet()) {
            rng.uniform(e.getValue().data(), 0, e.getValue().size(), 0.5f, 1.5f);
            refBuffers.get(e.getKey()).copyFrom(e.getValue());
        }
        return new Module[] {block, ref};
    }

    private static void matchesNaive(Mode mode, int threads) {
        int saved = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            DenseBlock.Config c = new DenseBlock.Config(3, 3, 2, 2);
            Module[] t = twins(c, 1);
            Module block = t[0], ref = t[1];
            Tensor x = ResidualTest.random(Shape.of(3, 3, 4, 5), 2);
            Tensor dY = ResidualTest.random(Shape.of(3, 9, 4, 5), 3);
            for (int step = 0; step < 2; step++) {      // twice: buffers reused, gradients accumulate
                assertClose("y", ref.forward(x, mode).data(), block.forward(x, mode).data(), 1e-6, 1e-6);
                assertClose("dX", ref.backward(dY).data(), block.backward(dY).data(), 1e-6, 1e-6);
            }
            for (int i = 0; i < block.params().size(); i++) {
                Param p = block.params().get(i), q = ref.params().get(i);
                assertEquals(q.name(), p.name());
                assertClose(p.name() + " grad", q.grad().data(), p.grad().data(), 1e-6, 1e-6);
            }
            Map<String, Tensor> rb = Buffers.of(ref);
            for (Map.Entry<String, Tensor> e : ((DenseBlock) block).buffers().entrySet()) {
                assertClose(e.getKey(), rb.get(e.getKey()).data(), e.getValue().data(), 1e-6, 1e-7);
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test void equalsNaiveConcatenationInTraining() { matchesNaive(Mode.TRAIN, 2); }

    @Test void equalsNaiveConcatenationInEvaluation() { matchesNaive(Mode.EVAL, 2); }

    @Test void equalsNaiveConcatenationOnOneThread() { matchesNaive(Mode.TRAIN, 1); }

    /**
     * A step of 1e-3, not 1e-2: moving a BN shift moves many ReLU inputs at once, and the larger step
     * drags some across zero (a kink); float32 noise on this small output is still far below the tolerance.
     */
    @Test void gradCheckTwoLayersGrowth2() {
        DenseBlock block = new DenseBlock(DenseBlock.config(3, 2, 2), new Rng(4));
        new GradCheck(1e-3, 2e-2, 2e-3).check(block, ResidualTest.random(Shape.of(2, 3, 3, 3), 5), Mode.TRAIN, 6);
    }

    @Test void namesFollowTorchvision() {
        DenseBlock block = new DenseBlock(DenseBlock.config(4, 2, 2), new Rng(7));
        assertEquals(List.of("denselayer1.norm1.weight", "denselayer1.norm1.bias", "denselayer1.conv1.weight",
                "denselayer1.norm2.weight", "denselayer1.norm2.bias", "denselayer1.conv2.weight",
                "denselayer2.norm1.weight", "denselayer2.norm1.bias", "denselayer2.conv1.weight",
                "denselayer2.norm2.weight", "denselayer2.norm2.bias", "denselayer2.conv2.weight"),
                block.params().stream().map(Param::name).toList());
        assertEquals(Shape.of(8, 6, 1, 1), block.params().get(8).value().shape());   // denselayer2.conv1: [4k, C0 + k, 1, 1]
        assertEquals(Shape.of(2, 8, 5, 5), block.outputShape(Shape.of(2, 4, 5, 5)));
    }

    @Test void activationBytesMatchesTheEstimateAndStaysLinearInLayers() {
        DenseBlock.Config c = DenseBlock.config(4, 3, 2);
        DenseBlock block = new DenseBlock(c, new Rng(8));
        Tensor x = ResidualTest.random(Shape.of(2, 4, 3, 3), 9);
        block.backward(block.forward(x, Mode.TRAIN));
        int slices = Math.min(Parallel.threads(), 2);
        assertEquals(DenseBlock.estimateActivationBytes(c, 2, 3, 3, slices), block.activationBytes());
    }
}
