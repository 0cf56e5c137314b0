package org.neurite.layers.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.neurite.runtime.TensorAsserts.assertClose;

import org.junit.jupiter.api.Test;
import org.neurite.layers.GradCheck;
import org.neurite.layers.Mode;
import org.neurite.runtime.Parallel;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * Winograd F(2x2,3x3) forward against the im2col engine and the double-precision direct reference:
 * pad 0/1/2, 8/16/32 channels, odd sizes (cropped edge tiles), batch 1 and 5, bias, fused ReLU,
 * and every thread count giving the same bits twice.
 */
class WinogradTest {

    private static float[] random(Rng rng, int n) {
        float[] a = new float[n];
        rng.uniform(a, 0, n, -1f, 1f);
        return a;
    }

    private static float[] forward(ConvGeometry g, boolean winograd, boolean relu, float[] x, float[] w, float[] b) {
        ConvCpu op = new ConvCpu(g, true, ConvCpu.CHUNK_FLOATS, winograd);
        Tensor y = Tensor.zeros(g.outputShape());
        op.forward(Tensor.wrap(g.inputShape(), x), Tensor.wrap(g.filterShape(), w), Tensor.wrap(Shape.of(g.k()), b), y, relu);
        return y.data();
    }

    private static void check(int n, int c, int k, int h, int w, int pad, boolean relu) {
        Conv2d.Config cfg = Conv2d.config(c, k, 3).padding(pad).build();
        ConvGeometry g = ConvGeometry.of(cfg, Shape.of(n, c, h, w));
        assertTrue(Winograd.applies(g));
        Rng rng = new Rng(13L * c + k + h * 7L + w + pad);
        float[] x = random(rng, g.inputShape().size()), wt = random(rng, g.filterShape().size()), b = random(rng, k);
        float[] wino = forward(g, true, relu, x, wt, b), im2col = forward(g, false, relu, x, wt, b);
        float[] ref = NaiveConv.forward(cfg, n, h, w, x, wt, b);
        if (relu) for (int i = 0; i < ref.length; i++) ref[i] = Math.max(ref[i], 0f);
        String what = cfg.describe() + " on " + g.inputShape() + (relu ? " + relu" : "");
        // sums of 9C products of values in [-1, 1]: their rounding grows with sqrt(9C)
        double tol = 3e-6 * Math.sqrt(9.0 * c);
        assertClose("winograd vs direct " + what, ref, wino, tol, tol);
        assertClose("winograd vs im2col " + what, im2col, wino, tol, tol);
    }

    @Test void matchesIm2colAndTheDirectSum() {
        check(1, 8, 8, 4, 4, 1, false);
        check(5, 16, 16, 9, 7, 1, false);       // odd sizes: the last tile row and column are cropped
        check(5, 16, 16, 9, 7, 1, true);
        check(1, 32, 16, 8, 8, 1, true);
        check(5, 16, 32, 11, 13, 0, false);     // pad 0
        check(2, 8, 16, 7, 6, 2, false);        // pad 2: output larger than input
        check(3, 64, 64, 8, 8, 1, false);
    }

    @Test void onlyUngroupedStrideOne3x3WithChannelsApplies() {
        assertFalse(Winograd.applies(ConvGeometry.of(Conv2d.config(3, 16, 3).padding(1).build(), Shape.of(1, 3, 8, 8))));
        assertFalse(Winograd.applies(ConvGeometry.of(Conv2d.config(16, 16, 3).stride(2).padding(1).build(), Shape.of(1, 16, 8, 8))));
        assertFalse(Winograd.applies(ConvGeometry.of(Conv2d.config(16, 16, 3).padding(1).groups(2).build(), Shape.of(1, 16, 8, 8))));
        assertFalse(Winograd.applies(ConvGeometry.of(Conv2d.config(16, 16, 3).padding(2).dilation(2).build(), Shape.of(1, 16, 8, 8))));
        assertFalse(Winograd.applies(ConvGeometry.of(Conv2d.config(16, 16, 5).padding(2).build(), Shape.of(1, 16, 8, 8))));
    }

    @Test void sameThreadCountSameBits() {
        Conv2d.Config cfg = Conv2d.config(16, 16, 3).padding(1).build();
        ConvGeometry g = ConvGeometry.of(cfg, Shape.of(7, 16, 9, 9));
        Rng rng = new Rng(3);
        float[] x = random(rng, g.inputShape().size()), w = random(rng, g.filterShape().size()), b = random(rng, 16);
        int saved = Parallel.threads();
        try {
            float[] one = null;
            for (int threads : new int[] {1, 2, 3}) {
                Parallel.setThreads(threads);
                float[] a = forward(g, true, false, x, w, b), again = forward(g, true, false, x, w, b);
                assertArrayEquals(a, again, threads + " threads");
                if (one == null) one = a;
                assertArrayEquals(one, a, "every output is the same sum whatever the chunking: " + threads + " threads");
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test void gradientsOfAWinogradLayer() {
        Rng rng = new Rng(21);
        Conv2d conv = new Conv2d(Conv2d.config(8, 8, 3).padding(1).build(), rng);
        float[] x = random(rng, 2 * 8 * 5 * 4);
        GradCheck.standard().check(conv, Tensor.wrap(Shape.of(2, 8, 5, 4), x), Mode.TRAIN, 22);
    }
}
