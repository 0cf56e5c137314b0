package org.neurite.layers.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.neurite.runtime.TensorAsserts.assertClose;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.neurite.layers.Mode;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

class Conv2dTest {

    private static Conv2d conv(Conv2d.Config cfg, float[] weight, float[] bias) {
        Conv2d conv = new Conv2d(cfg, new Rng(1));
        System.arraycopy(weight, 0, conv.weight().value().data(), 0, weight.length);
        if (bias != null) System.arraycopy(bias, 0, conv.bias().value().data(), 0, bias.length);
        return conv;
    }

    private static float[] range(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }

    private static float[] random(Rng rng, int n) {
        float[] a = new float[n];
        rng.uniform(a, 0, n, -1f, 1f);
        return a;
    }

    @Test void handComputedCrossCorrelation() {
        // x = [[0,1,2],[3,4,5],[6,7,8]], w = [[1,2],[1,0]]: y[0][0] = 0*1 + 1*2 + 3*1 + 4*0 = 5, ...
        Conv2d c = conv(Conv2d.config(1, 1, 2).noBias().build(), new float[] {1, 2, 1, 0}, null);
        Tensor y = c.forward(Tensor.wrap(Shape.of(1, 1, 3, 3), range(9)), Mode.TRAIN);
        assertEquals(Shape.of(1, 1, 2, 2), y.shape());
        assertArrayEquals(new float[] {5, 9, 17, 21}, y.data());
    }

    @Test void handComputedStride2Padding1() {
        // x = 0..15 as 4x4, w = [[1,0],[0,1]], bias 1, stride 2, pad 1 -> 3x3 output.
        // Window (oy,ox) covers padded rows 2oy-1..2oy, cols 2ox-1..2ox: y = x[2oy-1][2ox-1] + x[2oy][2ox] + 1.
        //   (0,0): 0 + x00=0      -> 1     (0,1): 0 + x02=2  -> 3     (0,2): 0 + 0 (col 4 is padding) -> 1
        //   (1,0): 0 + x20=8      -> 9     (1,1): x11=5 + x22=10 -> 16   (1,2): x13=7 + 0 -> 8
        //   (2,0): 0 + 0          -> 1     (2,1): x31=13 + 0 -> 14      (2,2): x33=15 + 0 -> 16
        Conv2d c = conv(Conv2d.config(1, 1, 2).stride(2).padding(1).build(), new float[] {1, 0, 0, 1}, new float[] {1});
        Tensor y = c.forward(Tensor.wrap(Shape.of(1, 1, 4, 4), range(16)), Mode.TRAIN);
        assertEquals(Shape.of(1, 1, 3, 3), y.shape());
        assertArrayEquals(new float[] {1, 3, 1, 9, 16, 8, 1, 14, 16}, y.data());
    }

    @Test void groupsEqualTwoSeparateConvolutions() {
        Rng rng = new Rng(7);
        int n = 2, h = 6, w = 5;
        float[] x = random(rng, n * 4 * h * w);
        Conv2d grouped = new Conv2d(Conv2d.config(4, 6, 3).padding(1).groups(2).build(), rng);
        float[] y = grouped.forward(Tensor.wrap(Shape.of(n, 4, h, w), x), Mode.TRAIN).data().clone();
        int outPlane = h * w;
        for (int grp = 0; grp < 2; grp++) {
            // The group's own conv: input channels 2grp..2grp+1, filters 3grp..3grp+2.
            float[] wg = Arrays.copyOfRange(grouped.weight().value().data(), grp * 3 * 2 * 9, (grp + 1) * 3 * 2 * 9);
            float[] bg = Arrays.copyOfRange(grouped.bias().value().data(), grp * 3, grp * 3 + 3);
            Conv2d single = conv(Conv2d.config(2, 3, 3).padding(1).build(), wg, bg);
            float[] xg = new float[n * 2 * h * w];
            for (int i = 0; i < n; i++) System.arraycopy(x, (i * 4 + grp * 2) * h * w, xg, i * 2 * h * w, 2 * h * w);
            float[] yg = single.forward(Tensor.wrap(Shape.of(n, 2, h, w), xg), Mode.TRAIN).data();
            for (int i = 0; i < n; i++) {
                float[] expected = Arrays.copyOfRange(yg, i * 3 * outPlane, (i + 1) * 3 * outPlane);
                float[] actual = Arrays.copyOfRange(y, (i * 6 + grp * 3) * outPlane, (i * 6 + grp * 3 + 3) * outPlane);
                assertClose("group " + grp + " sample " + i, expected, actual, 1e-5, 1e-6);
            }
        }
    }

    @Test void dilationMatchesDirectConvolution() {
        Rng rng = new Rng(3);
        Conv2d.Config cfg = Conv2d.config(2, 3, 3).dilation(2).padding(1).build();
        Conv2d c = new Conv2d(cfg, rng);
        float[] x = random(rng, 2 * 2 * 7 * 8);
        Tensor y = c.forward(Tensor.wrap(Shape.of(2, 2, 7, 8), x), Mode.TRAIN);
        assertEquals(Shape.of(2, 3, 5, 6), y.shape());
        float[] expected = NaiveConv.forward(cfg, 2, 7, 8, x, c.weight().value().data(), c.bias().value().data());
        assertClose("dilated conv", expected, y.data(), 1e-5, 1e-5);
    }

    @Test void randomShapesMatchDirectConvolution() {
        Rng rng = new Rng(11);
        Conv2d.Config[] configs = {
            Conv2d.config(3, 4, 3).build(),
            Conv2d.config(3, 5, 3).stride(2).padding(1).build(),
            Conv2d.config(2, 4, 3).kernel(2, 3).stride(1, 2).padding(2, 0).dilation(1, 2).build(),
            Conv2d.config(4, 6, 3).groups(2).padding(1).build(),
            Conv2d.config(6, 6, 3).groups(6).stride(2).padding(1).noBias().build(),   // depthwise
            Conv2d.config(4, 8, 1).build(),                                             // pointwise fast path
            Conv2d.config(4, 8, 1).stride(2).build(),                                   // 1x1 through im2col
            Conv2d.config(1, 6, 5).padding(2).build(),                                  // LeNet C1
            Conv2d.config(2, 3, 4).kernel(4, 1).stride(3, 1).padding(0, 2).build(),
        };
        for (Conv2d.Config cfg : configs) {
            int n = 1 + rng.nextInt(3), h = 5 + rng.nextInt(6), w = 5 + rng.nextInt(6);
            Conv2d c = new Conv2d(cfg, rng);
            float[] x = random(rng, n * cfg.inChannels() * h * w);
            Tensor y = c.forward(Tensor.wrap(Shape.of(n, cfg.inChannels(), h, w), x), Mode.TRAIN);
            float[] expected = NaiveConv.forward(cfg, n, h, w, x, c.weight().value().data(),
                    cfg.bias() ? c.bias().value().data() : null);
            assertClose(cfg.describe() + " on " + n + "x" + h + "x" + w, expected, y.data(), 1e-5, 1e-5);
        }
    }

    @Test void lenet5Shapes() {
        Rng rng = new Rng(1);
        Conv2d c1 = new Conv2d(Conv2d.config(1, 6, 5).padding(2).build(), rng);
        Conv2d c3 = new Conv2d(Conv2d.config(6, 16, 5).build(), rng);
        assertEquals(Shape.of(64, 6, 28, 28), c1.outputShape(Shape.of(64, 1, 28, 28)));
        assertEquals(Shape.of(64, 16, 10, 10), c3.outputShape(Shape.of(64, 6, 14, 14)));
        assertEquals(6 * 25 + 6, c1.parameterCount());
        assertEquals(16 * 6 * 25 + 16, c3.parameterCount());
        assertEquals("Conv2d(1->6, 5x5, pad 2)", c1.describe());
    }

    @Test void badShapesNameTheLayer() {
        Conv2d c3 = new Conv2d(Conv2d.config(6, 16, 5).build(), new Rng(1));
        IllegalArgumentException channels = assertThrows(IllegalArgumentException.class,
                () -> c3.outputShape(Shape.of(64, 3, 14, 14)));
        assertTrue(channels.getMessage().contains("Conv2d(6->16, 5x5)") && channels.getMessage().contains("[64, 3, 14, 14]"),
                channels.getMessage());
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                () -> c3.outputShape(Shape.of(1, 6, 4, 9)));
        assertTrue(small.getMessage().contains("too small"), small.getMessage());
        assertThrows(IllegalArgumentException.class, () -> c3.outputShape(Shape.of(6, 14, 14)));
        assertThrows(IllegalArgumentException.class, () -> Conv2d.config(6, 16, 5).groups(4).build());
        assertThrows(IllegalArgumentException.class, () -> Conv2d.config(6, 16, 0).build());
    }

    @Test void initScalesAndParamNames() {
        Conv2d c = new Conv2d(Conv2d.config(6, 16, 5).build(), new Rng(5));
        assertEquals("weight", c.params().get(0).name());
        assertEquals("bias", c.params().get(1).name());
        assertEquals(Shape.of(16, 6, 5, 5), c.weight().value().shape());
        float heBound = (float) Math.sqrt(6.0 / 150), biasBound = (float) (1 / Math.sqrt(150));
        float maxW = 0, maxB = 0;
        for (float v : c.weight().value().data()) maxW = Math.max(maxW, Math.abs(v));
        for (float v : c.bias().value().data()) maxB = Math.max(maxB, Math.abs(v));
        assertTrue(maxW <= heBound && maxW > 0.8f * heBound, "weight max " + maxW + " vs bound " + heBound);
        assertTrue(maxB <= biasBound, "bias max " + maxB + " vs bound " + biasBound);
        assertEquals(1, new Conv2d(Conv2d.config(6, 16, 5).noBias().build(), new Rng(5)).params().size());
    }

    @Test void buffersReusedWhileShapeUnchangedAndReplannedOnNewShape() {
        Rng rng = new Rng(2);
        Conv2d c = new Conv2d(Conv2d.config(2, 3, 3).padding(1).build(), rng);
        Tensor y1 = c.forward(Tensor.wrap(Shape.of(2, 2, 5, 5), random(rng, 100)), Mode.TRAIN);
        Tensor dx1 = c.backward(Tensor.wrap(y1.shape(), random(rng, y1.size())));
        Tensor y2 = c.forward(Tensor.wrap(Shape.of(2, 2, 5, 5), random(rng, 100)), Mode.TRAIN);
        Tensor dx2 = c.backward(Tensor.wrap(y2.shape(), random(rng, y2.size())));
        assertSame(y1, y2);
        assertSame(dx1, dx2);
        float[] x3 = random(rng, 3 * 2 * 4 * 6);
        Tensor y3 = c.forward(Tensor.wrap(Shape.of(3, 2, 4, 6), x3), Mode.TRAIN);
        assertEquals(Shape.of(3, 3, 4, 6), y3.shape());
        float[] expected = NaiveConv.forward(c.config(), 3, 4, 6, x3, c.weight().value().data(), c.bias().value().data());
        assertClose("after re-plan", expected, y3.data(), 1e-5, 1e-5);
    }

    @Test void firstLayerSkipsInputGradient() {
        Rng rng = new Rng(4);
        Conv2d c = new Conv2d(Conv2d.config(1, 2, 3).build(), rng);
        c.setNeedsInputGrad(false);
        Tensor y = c.forward(Tensor.wrap(Shape.of(1, 1, 4, 4), random(rng, 16)), Mode.TRAIN);
        c.zeroGrad();
        assertNull(c.backward(Tensor.wrap(y.shape(), random(rng, y.size()))));
        float norm = 0;
        for (float v : c.weight().grad().data()) norm += Math.abs(v);
        assertTrue(norm > 0, "filter gradient still computed");
    }
}
