package org.neurite.layers.shape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.neurite.layers.Mode;
import org.neurite.layers.cuda.FakeGpu;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * Flatten on device tensors (a fake CUDA-kind device with a real allocator's bookkeeping): the view
 * shares the input's storage (no copy), keeps it alive while in use, and gives its reference back
 * when replaced, so a new input each step (Flatten first in a model) does not leak the old ones.
 */
class FlattenDeviceViewTest {
    @Test void viewsShareStorageAndReplacedViewsReleaseTheirInput() {
        FakeGpu gpu = new FakeGpu();
        Flatten f = new Flatten();
        Tensor x1 = gpu.tensor(2, 3, 4, 4);
        long one = gpu.allocated();
        Tensor y1 = f.forward(x1, Mode.TRAIN);
        assertEquals(Shape.of(2, 48), y1.shape());
        assertSame(x1.deviceStorage(), y1.deviceStorage(), "zero-copy view");
        assertEquals(one, gpu.allocated(), "nothing allocated for the view");
        assertSame(y1, f.forward(x1, Mode.TRAIN), "same input, same view");

        x1.close();
        assertEquals(one, gpu.allocated(), "the view keeps the closed input's memory valid");
        Tensor x2 = gpu.tensor(2, 3, 4, 4);
        f.forward(x2, Mode.TRAIN);
        assertEquals(one, gpu.allocated(), "replacing the view gave x1's memory back: only x2's is held");

        Tensor dy1 = gpu.tensor(2, 48);
        Tensor dx1 = f.backward(dy1);
        assertSame(dy1.deviceStorage(), dx1.deviceStorage());
        dy1.close();
        Tensor dy2 = gpu.tensor(2, 48);
        f.backward(dy2);
        assertEquals(2 * one, gpu.allocated(), "x2 and dy2 only: dy1 went back when its view was replaced");
    }
}
