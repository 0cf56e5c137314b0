package org.neurite.layers.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.neurite.runtime.TensorAsserts.assertClose;

import org.junit.jupiter.api.Test;
import org.neurite.runtime.Parallel;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * The backward paths chosen per shape, against a double-precision direct reference: dX of a
 * stride-1 "same" convolution as a flipped forward convolution ({@link FlippedData}) and against
 * col2im, and dW as lane-kept dot products ({@link LaneDots}) for small filter banks. Shapes cover
 * pad 0/1, 3/16/32 channels, odd sizes, batch 1 and 5, with and without the fused ReLU.
 */
class ConvBackwardPathsTest {

    private static Tensor random(Rng rng, Shape s) {
        Tensor t = Tensor.zeros(s);
        rng.uniform(t.data(), 0, t.size(), -1f, 1f);
        return t;
    }

    /** Direct dX and dW in double for dY already masked by relu' (any stride; PhasedDataTest's reference too). */
    static double[][] reference(ConvGeometry g, float[] x, float[] w, float[] dy) {
        double[] dx = new double[g.n() * g.c() * g.h() * g.w()], dw = new double[w.length];
        for (int i = 0; i < g.n(); i++) {
            for (int k = 0; k < g.k(); k++) {
                for (int oy = 0; oy < g.oh(); oy++) {
                    for (int ox = 0; ox < g.ow(); ox++) {
                        double d = dy[((i * g.k() + k) * g.oh() + oy) * g.ow() + ox];
                        for (int c = 0; c < g.c(); c++) {
                            for (int r = 0; r < g.r(); r++) {
                                for (int s = 0; s < g.s(); s++) {
                                    int iy = oy * g.strideH() - g.padH() + r, ix = ox * g.strideW() - g.padW() + s;
                                    if (iy < 0 || iy >= g.h() || ix < 0 || ix >= g.w()) continue;
                                    int xi = ((i * g.c() + c) * g.h() + iy) * g.w() + ix, wi = ((k * g.c() + c) * g.r() + r) * g.s() + s;
                                    dx[xi] += d * w[wi];
                                    dw[wi] += d * x[xi];
                                }
                            }
                        }
                    }
                }
            }
        }
        return new double[][] {dx, dw};
    }

    /** dX, dW and dB of one forward and backward, with the flipped path on or off. */
    private static float[][] run(ConvGeometry g, boolean relu, boolean flip, Rng rng, float[][] io) {
        ConvCpu op = new ConvCpu(g);
        op.useFlippedData(flip);
        ConvPass p = ConvPass.run(op, g, relu, io);
        return new float[][] {p.dX().data(), p.dW().data(), p.dB().data(), p.y().data()};
    }

    private static void check(int n, int c, int k, int h, int w, int pad, boolean relu) {
        Conv2d.Config cfg = Conv2d.config(c, k, 3).padding(pad).build();
        ConvGeometry g = ConvGeometry.of(cfg, Shape.of(n, c, h, w));
        Rng rng = new Rng(31L * n + 7L * c + k + h + pad);
        float[][] io = {random(rng, g.inputShape()).data(), random(rng, g.filterShape()).data(),
            random(rng, Shape.of(k)).data(), random(rng, g.outputShape()).data()};
        float[][] on = run(g, relu, true, rng, io), off = run(g, relu, false, rng, io);
        String what = cfg.describe() + " on " + g.inputShape() + (relu ? " + relu" : "");
        assertArrayEquals(off[1], on[1], "dW does not depend on the dX path: " + what);
        assertArrayEquals(off[2], on[2], "dB: " + what);
        float[] masked = io[3].clone();
        for (int i = 0; i < masked.length; i++) if (relu && !(on[3][i] > 0f)) masked[i] = 0f;
        double[][] ref = reference(g, io[0], io[1], masked);
        // each value sums C*R*S (dX: K*R*S) products of values in [-1, 1]: rounding grows with sqrt of that
        double tol = 2e-6 * Math.sqrt(9.0 * Math.max(c, k));
        assertClose("dX flipped " + what, ref[0], toDouble(on[0]), tol, tol);
        assertClose("dX col2im " + what, ref[0], toDouble(off[0]), tol, tol);
        assertClose("dW " + what, ref[1], toDouble(on[1]), tol, tol * Math.sqrt(n * g.outPixels()));
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    @Test void flippedDataAndLaneDotsMatchTheDirectReference() {
        for (int threads : new int[] {1, 2}) {
            int saved = Parallel.threads();
            Parallel.setThreads(threads);
            try {
                check(1, 3, 16, 9, 7, 1, false);        // 3 channels: col2im
                check(2, 8, 16, 9, 7, 1, false);        // 8: flipped
                check(5, 16, 16, 11, 9, 1, true);       // 16 x 144 cells: the lane dot products
                check(5, 16, 16, 11, 9, 1, false);
                check(5, 32, 16, 7, 13, 1, true);
                check(1, 16, 32, 8, 8, 1, false);
                check(5, 3, 16, 9, 9, 0, true);         // pad 0: col2im
                check(2, 16, 16, 10, 6, 0, false);
            } finally {
                Parallel.setThreads(saved);
            }
        }
    }

    /** One forward and two backward steps of a 16 -> 16 "same" convolution (both new paths), through Conv2d. */
    private static float[][] steps(int threads) {
        int saved = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            Rng rng = new Rng(5);
            Conv2d conv = new Conv2d(Conv2d.config(16, 16, 3).padding(1).build(), rng);
            Tensor x = random(rng, Shape.of(5, 16, 9, 11));
            Tensor y = conv.forward(x, org.neurite.layers.Mode.TRAIN);
            Tensor dy = random(rng, y.shape());
            Tensor dX = conv.backward(dy);
            conv.backward(dy);
            return new float[][] {y.data().clone(), dX.data().clone(), conv.weight().grad().data().clone(), conv.bias().grad().data().clone()};
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test void sameThreadCountSameBits() {
        for (int threads : new int[] {1, 2, 3}) {
            float[][] a = steps(threads), b = steps(threads);
            for (int i = 0; i < a.length; i++) assertArrayEquals(a[i], b[i], "tensor " + i + " with " + threads + " threads");
        }
        float[][] one = steps(1), two = steps(2);
        for (int i = 0; i < one.length; i++) assertClose("tensor " + i + ", 1 vs 2 threads", one[i], two[i], 1e-5, 1e-5);
    }

    @Test void theShapesTakeThePathsTheyTest() {
        assertTrue(FlippedData.applies(ConvGeometry.of(Conv2d.config(16, 16, 3).padding(1).build(), Shape.of(5, 16, 11, 9))));
        assertTrue(!FlippedData.applies(ConvGeometry.of(Conv2d.config(16, 16, 3).build(), Shape.of(5, 16, 11, 9))));
        assertTrue(!FlippedData.applies(ConvGeometry.of(Conv2d.config(3, 16, 3).padding(1).build(), Shape.of(5, 3, 11, 9))));
        assertTrue(FlippedData.applies(ConvGeometry.of(Conv2d.config(8, 16, 5).padding(2).build(), Shape.of(5, 8, 11, 9))));
        assertTrue(!FlippedData.applies(ConvGeometry.of(Conv2d.config(16, 16, 3).padding(1).groups(2).build(), Shape.of(5, 16, 11, 9))));
        assertTrue(!FlippedData.applies(ConvGeometry.of(Conv2d.config(16, 16, 3).padding(1).stride(2).build(), Shape.of(5, 16, 11, 9))));
        assertTrue(!LaneDots.AVAILABLE || LaneDots.applies(16, 144), "16 x 144 cells take the lane path");
    }
}
