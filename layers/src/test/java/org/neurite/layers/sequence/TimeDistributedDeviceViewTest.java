package org.neurite.layers.sequence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.neurite.layers.Mode;
import org.neurite.layers.Module;
import org.neurite.layers.cuda.FakeGpu;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/** TimeDistributed's views over device tensors: shared storage, cached, released when replaced. */
class TimeDistributedDeviceViewTest {
    /** Passes its input through: only TimeDistributed's views are under test. */
    private static final class Identity extends Module {
        @Override public Shape outputShape(Shape s) { return s; }
        @Override public Tensor forward(Tensor x, Mode mode) { return x; }
        @Override public Tensor backward(Tensor dY) { return dY; }
    }

    @Test void mergedAndSplitViewsShareStorageAndDoNotLeak() {
        FakeGpu gpu = new FakeGpu();
        TimeDistributed td = new TimeDistributed(new Identity());
        Tensor x1 = gpu.tensor(5, 2, 3);
        long one = gpu.allocated();
        Tensor y1 = td.forward(x1, Mode.TRAIN);
        assertEquals(Shape.of(5, 2, 3), y1.shape());
        assertSame(x1.deviceStorage(), y1.deviceStorage(), "zero-copy: [T, N, C] -> [T*N, C] -> [T, N, C]");
        assertSame(y1, td.forward(x1, Mode.TRAIN), "cached");
        x1.close();
        Tensor x2 = gpu.tensor(5, 2, 3);
        td.forward(x2, Mode.TRAIN);
        assertEquals(one, gpu.allocated(), "x1's memory went back once both of its views were replaced");
        Tensor dx = td.backward(gpu.tensor(5, 2, 3));
        assertEquals(Shape.of(5, 2, 3), dx.shape());
    }
}
