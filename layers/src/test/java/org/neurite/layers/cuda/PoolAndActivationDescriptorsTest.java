package org.neurite.layers.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.neurite.layers.activation.Activation;
import org.neurite.layers.pool.Pool2d;
import org.neurite.layers.pool.PoolGeometry;
import org.neurite.layers.pool.PoolOp;
import org.neurite.runtime.Shape;

/** Pooling and activation parameters handed to cuDNN, worked out by hand. */
class PoolAndActivationDescriptorsTest {
    private static final PoolGeometry G = PoolGeometry.of("pool", new Pool2d.Config(3, 2, 2, 1, 1, 0), Shape.of(2, 3, 7, 6));

    @Test void poolWindowPaddingStrideAndShapes() {
        PoolDescriptors d = PoolDescriptors.of(PoolOp.Kind.MAX, G, false);
        assertArrayEquals(new int[] {3, 2}, d.window());
        assertArrayEquals(new int[] {1, 0}, d.pad());
        assertArrayEquals(new int[] {2, 1}, d.stride());
        assertArrayEquals(new int[] {2, 3, 7, 6}, d.xDims());
        // oh = (7 + 2 - 3) / 2 + 1 = 4, ow = (6 - 2) / 1 + 1 = 5
        assertArrayEquals(new int[] {2, 3, 4, 5}, d.yDims());
        assertEquals(1, d.nanProp(), "NaN propagates, as Math.max does on the CPU");
    }

    @Test void poolModes() {
        assertEquals(0, PoolDescriptors.of(PoolOp.Kind.MAX, G, false).mode(), "CUDNN_POOLING_MAX");
        assertEquals(3, PoolDescriptors.of(PoolOp.Kind.MAX, G, true).mode(), "CUDNN_POOLING_MAX_DETERMINISTIC");
        assertEquals(1, PoolDescriptors.of(PoolOp.Kind.AVG, G, false).mode(), "CUDNN_POOLING_AVERAGE_COUNT_INCLUDE_PADDING");
        assertEquals(1, PoolDescriptors.of(PoolOp.Kind.AVG, G, true).mode());
    }

    @Test void activationModesAndCoefficients() {
        assertEquals(1, ActivationDescriptors.mode(Activation.Kind.RELU));
        assertEquals(0, ActivationDescriptors.mode(Activation.Kind.SIGMOID));
        assertEquals(2, ActivationDescriptors.mode(Activation.Kind.TANH));
        assertEquals(4, ActivationDescriptors.mode(Activation.Kind.ELU));
        assertEquals(ActivationDescriptors.KERNEL, ActivationDescriptors.mode(Activation.Kind.LEAKY_RELU));
        assertEquals(0.5, ActivationDescriptors.coef(Activation.Kind.ELU, 0.5f));
        assertEquals(0.0, ActivationDescriptors.coef(Activation.Kind.RELU, 0.5f), "0: an unclipped ReLU");
    }

    @Test void elementwiseAndSoftmaxTensorShapes() {
        assertArrayEquals(new int[] {4, 6, 1, 1}, ActivationDescriptors.elementwiseDims(Shape.of(4, 3, 2)));
        assertArrayEquals(new int[] {7, 1, 1, 1}, ActivationDescriptors.elementwiseDims(Shape.of(7)));
        assertArrayEquals(new int[] {1, 1, 1, 1}, ActivationDescriptors.elementwiseDims(Shape.of()));
        assertThrows(IllegalArgumentException.class, () -> ActivationDescriptors.elementwiseDims(Shape.of(0, 3)));
        assertArrayEquals(new int[] {3, 4, 1, 1}, ActivationDescriptors.softmaxDims(12, 4));
        assertThrows(IllegalArgumentException.class, () -> ActivationDescriptors.softmaxDims(10, 4));
    }
}
