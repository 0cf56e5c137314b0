package org.neurite.layers.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurite.layers.Param;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/** The host-side logic of device gradient clipping, checked without a GPU. */
class GradClipCudaTest {
    @Test void eachGradientGetsAFixedRangeOfPartials() {
        assertEquals(1, GradClipCuda.blocksFor(1));
        assertEquals(2, GradClipCuda.blocksFor(300));
        assertEquals(256, GradClipCuda.blocksFor(10_000_000));
        // conv1.weight 150, conv1.bias 6, fc.weight 120 * 84 = 10080 (40 blocks), a huge one (capped)
        assertArrayEquals(new int[] {0, 1, 2, 42, 298}, GradClipCuda.offsets(new int[] {150, 6, 10_080, 1 << 24}));
        assertArrayEquals(new int[] {0}, GradClipCuda.offsets(new int[0]));
    }

    @Test void cpuGradientsStayOnTheCpuPath() {
        Param a = new Param("a", Tensor.wrap(Shape.of(2), new float[] {1f, 1f}), Tensor.wrap(Shape.of(2), new float[] {3f, 0f}));
        Param b = new Param("b", Tensor.zeros(1), Tensor.wrap(Shape.of(1), new float[] {4f}));
        assertFalse(GradClipCuda.onDevice(List.of(a, b)));
        // The CPU path: norm 5, scaled to norm 1 (factor 1 / (5 + 1e-6)).
        assertEquals(5.0, GradClip.clipByGlobalNorm(List.of(a, b), 1.0), 0);
        assertEquals((float) (3 / (5 + 1e-6)), a.grad().data()[0], 0f);
        assertEquals((float) (4 / (5 + 1e-6)), b.grad().data()[0], 0f);
    }
}
