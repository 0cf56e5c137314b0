package org.neurite.layers.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.neurite.runtime.Tensor;

/** The strided channel copy of Concat and DenseBlock: the cudaMemcpy2DAsync arguments and the CPU copy. */
class ChannelCopyTest {
    @Test void theTwoDimensionalCopyOfAChannelRangeInBytes() {
        // Channels [2, 5) of [N=3, C=8, 4x4] into channels [0, 3) of [3, 3, 4x4]: 3 rows of 3*16 floats.
        ChannelCopy.Copy2d c = ChannelCopy.plan(3 * 8 * 16, 2 * 16, 8 * 16, 3 * 3 * 16, 0, 3 * 16, 3 * 16, 3);
        assertEquals(new ChannelCopy.Copy2d(0, 4L * 48, 4L * 32, 4L * 128, 4L * 48, 3), c);
    }

    @Test void copiesReachingOutsideATensorAreRefusedBeforeAnyCall() {
        assertThrows(IllegalArgumentException.class, () -> ChannelCopy.plan(100, 60, 50, 100, 0, 50, 50, 2), "source overrun");
        assertThrows(IllegalArgumentException.class, () -> ChannelCopy.plan(100, 0, 50, 99, 0, 50, 50, 2), "destination overrun");
        assertThrows(IllegalArgumentException.class, () -> ChannelCopy.plan(100, 0, 10, 100, 0, 50, 20, 2), "row longer than its stride");
        assertEquals(0, ChannelCopy.plan(0, 0, 0, 0, 0, 0, 0, 0).height());
    }

    @Test void theCpuCopyMovesExactlyTheRows() {
        Tensor src = Tensor.zeros(2, 3, 2), dst = Tensor.zeros(2, 5, 2);
        for (int i = 0; i < src.size(); i++) src.set(i, i + 1);
        ChannelCopy.copy(src, 0, 6, dst, 4, 10, 6, 2);     // all 3 channels into channels [2, 5)
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 0, 0, 0, 0, 7, 8, 9, 10, 11, 12}, dst.data());
    }

    @Test void aDeviceCopyNeedsARealCudaDevice() {
        FakeGpu gpu = new FakeGpu();
        Tensor a = gpu.tensor(2, 4), b = gpu.tensor(2, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChannelCopy.copy(a, 0, 4, b, 0, 4, 4, 2));
        assertEquals("fake:0 is not a CUDA device", e.getMessage());
    }
}
