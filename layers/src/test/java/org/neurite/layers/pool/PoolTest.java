package org.neurite.layers.pool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neurite.layers.Mode;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

class PoolTest {
    // One 4x4 plane; its maxima per 2x2 block are 5, 8, 9, 4.
    private static final float[] X = {
        1, 5, 2, 0,
        3, 4, 8, 6,
        7, 0, 1, 2,
        9, 2, 3, 4,
    };

    private static Tensor image(float[] plane) {
        return Tensor.wrap(Shape.of(1, 1, 4, 4), plane.clone());
    }

    @Test void maxPool2x2HandComputed() {
        MaxPool2d pool = new MaxPool2d(Pool2d.Config.of(2, 2));
        Tensor y = pool.forward(image(X), Mode.TRAIN);
        assertEquals(Shape.of(1, 1, 2, 2), y.shape());
        assertArrayEquals(new float[] {5, 8, 9, 4}, y.data());
        Tensor dX = pool.backward(Tensor.wrap(y.shape(), new float[] {1, 2, 3, 4}));
        assertArrayEquals(new float[] {
            0, 1, 0, 0,
            0, 0, 2, 0,
            0, 0, 0, 0,
            3, 0, 0, 4,
        }, dX.data());
    }

    @Test void maxPoolOverlappingWindowsAccumulate() {
        // 3x3 windows, stride 1: the 8 at (1,2) wins three windows, the 9 at (3,0) one.
        MaxPool2d pool = new MaxPool2d(Pool2d.Config.of(3, 1));
        Tensor y = pool.forward(image(X), Mode.TRAIN);
        assertArrayEquals(new float[] {8, 8, 9, 8}, y.data());
        Tensor dX = pool.backward(Tensor.wrap(y.shape(), new float[] {1, 2, 3, 4}));
        float[] expected = new float[16];
        expected[1 * 4 + 2] = 1 + 2 + 4;
        expected[3 * 4 + 0] = 3;
        assertArrayEquals(expected, dX.data());
    }

    @Test void maxPoolPaddingActsAsMinusInfinity() {
        // All inputs negative: a zero pad would win every border window; -inf never does.
        float[] neg = new float[16];
        for (int i = 0; i < 16; i++) neg[i] = -1 - X[i];
        MaxPool2d pool = new MaxPool2d(Pool2d.Config.of(2, 2, 1));
        Tensor y = pool.forward(image(neg), Mode.TRAIN);
        assertEquals(Shape.of(1, 1, 3, 3), y.shape());
        // Windows: rows {-1,0},{1,2},{3,4} x cols {-1,0},{1,2},{3,4}.
        assertArrayEquals(new float[] {-2, -3, -1, -4, -1, -3, -10, -3, -5}, y.data());
    }

    @Test void maxPoolPropagatesNaN() {
        float[] x = X.clone();
        x[4] = Float.NaN;       // in the top-left window
        Tensor y = new MaxPool2d(Pool2d.Config.of(2, 2)).forward(image(x), Mode.TRAIN);
        assertTrue(Float.isNaN(y.get(0)));
        assertEquals(8f, y.get(1));
    }

    @Test void avgPoolCountsPadding() {
        // 2x2 windows, stride 2, pad 1 over [[1,2],[3,4]]: each window holds one pixel and three pads.
        AvgPool2d pool = new AvgPool2d(Pool2d.Config.of(2, 2, 1));
        Tensor y = pool.forward(Tensor.wrap(Shape.of(1, 1, 2, 2), new float[] {1, 2, 3, 4}), Mode.TRAIN);
        assertArrayEquals(new float[] {0.25f, 0.5f, 0.75f, 1f}, y.data());
        Tensor dX = pool.backward(Tensor.wrap(y.shape(), new float[] {4, 4, 4, 4}));
        assertArrayEquals(new float[] {1, 1, 1, 1}, dX.data());
    }

    @Test void avgPool2x2HandComputed() {
        AvgPool2d pool = new AvgPool2d(Pool2d.Config.of(2, 2));
        assertArrayEquals(new float[] {13 / 4f, 16 / 4f, 18 / 4f, 10 / 4f}, pool.forward(image(X), Mode.TRAIN).data());
    }

    @Test void globalAvgPool() {
        GlobalAvgPool gap = new GlobalAvgPool();
        float[] x = new float[2 * 2 * 16];
        for (int i = 0; i < 16; i++) {
            x[i] = X[i];                // sample 0, channel 0: mean 57/16
            x[16 + i] = 1;              // sample 0, channel 1
            x[32 + i] = i;              // sample 1, channel 0: mean 7.5
            x[48 + i] = -2;             // sample 1, channel 1
        }
        Tensor y = gap.forward(Tensor.wrap(Shape.of(2, 2, 4, 4), x), Mode.TRAIN);
        assertEquals(Shape.of(2, 2), y.shape());
        assertArrayEquals(new float[] {57 / 16f, 1, 7.5f, -2}, y.data(), 1e-6f);
        Tensor dX = gap.backward(Tensor.wrap(y.shape(), new float[] {16, 32, 48, 64}));
        assertEquals(1f, dX.get(0));
        assertEquals(2f, dX.get(16));
        assertEquals(4f, dX.get(63));
    }

    @Test void lenet5Shapes() {
        MaxPool2d pool = new MaxPool2d(Pool2d.Config.of(2, 2));
        assertEquals(Shape.of(64, 6, 14, 14), pool.outputShape(Shape.of(64, 6, 28, 28)));
        assertEquals(Shape.of(64, 16, 5, 5), pool.outputShape(Shape.of(64, 16, 10, 10)));
        assertEquals(Shape.of(64, 64, 56, 56), new MaxPool2d(Pool2d.Config.of(3, 2, 1)).outputShape(Shape.of(64, 64, 112, 112)));
        assertEquals("MaxPool2d(2x2, stride 2)", pool.describe());
        assertEquals(Shape.of(64, 64), new GlobalAvgPool().outputShape(Shape.of(64, 64, 8, 8)));
    }

    @Test void badConfigsAndShapesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Pool2d.Config.of(2, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> Pool2d.Config.of(0, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MaxPool2d(Pool2d.Config.of(3, 1)).outputShape(Shape.of(1, 1, 2, 5)));
        assertTrue(e.getMessage().contains("MaxPool2d(3x3, stride 1)") && e.getMessage().contains("[1, 1, 2, 5]"), e.getMessage());
    }

    @Test void buffersReusedWhileShapeUnchanged() {
        MaxPool2d pool = new MaxPool2d(Pool2d.Config.of(2, 2));
        Tensor y1 = pool.forward(image(X), Mode.TRAIN);
        Tensor d1 = pool.backward(y1.copy());
        Tensor y2 = pool.forward(image(X), Mode.TRAIN);
        Tensor d2 = pool.backward(y2.copy());
        assertSame(y1, y2);
        assertSame(d1, d2);
        assertEquals(Shape.of(2, 1, 2, 2), pool.forward(Tensor.zeros(2, 1, 4, 4), Mode.TRAIN).shape());
    }
}
