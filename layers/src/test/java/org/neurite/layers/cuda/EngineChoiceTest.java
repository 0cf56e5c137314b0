package org.neurite.layers.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.neurite.layers.Concat;
import org.neurite.layers.DenseBlock;
import org.neurite.layers.Mode;
import org.neurite.layers.Module;
import org.neurite.layers.embedding.Embedding;
import org.neurite.layers.embedding.OneHot;
import org.neurite.layers.lenet1998.LeNet1998Tables;
import org.neurite.layers.lenet1998.PartialConv2d;
import org.neurite.layers.lenet1998.ScaledTanh;
import org.neurite.layers.lenet1998.Subsampling;
import org.neurite.layers.sequence.SequencePool;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Tensor;

/**
 * The engine is chosen from the input's device, never silently the CPU's: a tensor on a CUDA-kind
 * device that is not a real CUDA device reaches the CUDA engine, which refuses it naming the
 * device. (The CPU engines are exercised by each layer's own tests.)
 */
class EngineChoiceTest {
    private static void routedToCuda(Supplier<Module> module, Tensor x) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> module.get().forward(x, Mode.TRAIN));
        assertEquals("fake:0 is not a CUDA device", e.getMessage());
    }

    @Test void everyLayerOfThisFamilySendsADeviceInputToItsCudaEngine() {
        FakeGpu gpu = new FakeGpu();
        Rng rng = new Rng(3);
        routedToCuda(() -> new Subsampling(2), gpu.tensor(1, 2, 4, 4));
        routedToCuda(ScaledTanh::new, gpu.tensor(2, 3));
        routedToCuda(() -> new PartialConv2d(PartialConv2d.config(LeNet1998Tables.c3(), 5), rng), gpu.tensor(1, 6, 14, 14));
        routedToCuda(() -> new Embedding(5, 3, rng), gpu.tensor(2, 2));
        routedToCuda(() -> new OneHot(5), gpu.tensor(2, 2));
        for (SequencePool.Kind k : SequencePool.Kind.values()) routedToCuda(() -> new SequencePool(k), gpu.tensor(3, 2, 4));
        routedToCuda(() -> new DenseBlock(DenseBlock.config(2, 2, 2), rng), gpu.tensor(1, 2, 3, 3));
        routedToCuda(() -> Concat.of(new ScaledTanh(), new ScaledTanh()), gpu.tensor(1, 2, 3, 3));
    }
}
