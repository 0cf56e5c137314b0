package org.neurite.layers.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.neurite.layers.conv.Conv2d;
import org.neurite.layers.conv.ConvGeometry;
import org.neurite.runtime.Shape;

/** The numbers handed to cuDNN's tensor, filter and convolution descriptors, worked out by hand. */
class ConvDescriptorsTest {
    @Test void stridePaddingDilationGroupsAndANonSquareKernel() {
        Conv2d.Config cfg = Conv2d.config(4, 6, 3).kernel(3, 2).stride(2, 1).padding(1, 2).dilation(2, 1).groups(2).build();
        ConvDescriptors d = ConvDescriptors.of(ConvGeometry.of(cfg, Shape.of(5, 4, 11, 9)));
        assertArrayEquals(new int[] {5, 4, 11, 9}, d.xDims());
        assertArrayEquals(new int[] {4 * 11 * 9, 11 * 9, 9, 1}, d.xStrides());
        assertArrayEquals(new int[] {6, 2, 3, 2}, d.wDims(), "filter [K, C/groups, R, S]");
        // cuDNN's documented output size: 1 + (in + 2 pad - ((filter - 1) dilation + 1)) / stride
        // oh = 1 + (11 + 2 - 5) / 2 = 5; ow = 1 + (9 + 4 - 2) / 1 = 12
        assertArrayEquals(new int[] {5, 6, 5, 12}, d.yDims());
        assertArrayEquals(new int[] {360, 60, 12, 1}, d.yStrides());
        assertArrayEquals(new int[] {1, 6, 1, 1}, d.biasDims());
        assertArrayEquals(new int[] {1, 2}, d.pad());
        assertArrayEquals(new int[] {2, 1}, d.stride());
        assertArrayEquals(new int[] {2, 1}, d.dilation());
        assertEquals(1, d.mode(), "CUDNN_CROSS_CORRELATION");
        assertEquals(2, d.groups());
    }

    @Test void depthwiseAndPlainLeNetLayers() {
        ConvDescriptors dw = ConvDescriptors.of(ConvGeometry.of(
                Conv2d.config(32, 32, 3).padding(1).groups(32).noBias().build(), Shape.of(8, 32, 14, 14)));
        assertArrayEquals(new int[] {32, 1, 3, 3}, dw.wDims());
        assertArrayEquals(new int[] {8, 32, 14, 14}, dw.yDims());
        assertEquals(32, dw.groups());
        ConvDescriptors c1 = ConvDescriptors.of(ConvGeometry.of(Conv2d.config(1, 6, 5).padding(2).build(), Shape.of(64, 1, 28, 28)));
        assertArrayEquals(new int[] {6, 1, 5, 5}, c1.wDims());
        assertArrayEquals(new int[] {64, 6, 28, 28}, c1.yDims());
        assertArrayEquals(new int[] {2, 2}, c1.pad());
        assertArrayEquals(new int[] {1, 1}, c1.stride());
        assertArrayEquals(new int[] {1, 1}, c1.dilation());
        assertEquals(1, c1.groups());
    }

    @Test void packedStrides() {
        assertArrayEquals(new int[] {60, 20, 5, 1}, ConvDescriptors.packedStrides(new int[] {2, 3, 4, 5}));
        assertArrayEquals(new int[] {1}, ConvDescriptors.packedStrides(new int[] {7}));
    }
}
