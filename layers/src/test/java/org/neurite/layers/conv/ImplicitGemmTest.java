package org.neurite.layers.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.neurite.runtime.TensorAsserts.assertClose;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * Stride-1 convolutions through {@link ImplicitGemm} (B read from the padded input, no column
 * matrix) against the same engine on im2col + GEMM and against a direct reference in double:
 * the output, dX, dW and dB, with and without bias and the fused ReLU, for LeNet's and ResNet's
 * shapes, odd sizes, groups, one input channel, filter banks that end in a short panel, and
 * products longer than the GEMM's k block of 256 (32 channels, 3x3: 288), output rows of 8 or
 * 16 pixels, whose tiles are written straight into y, and rows narrower than a tile
 * ({@link ShiftedPlanes}), strided convolutions (the same, with row phases); dX also as the flipped forward convolution where that applies.
 */
class ImplicitGemmTest {
    @ParameterizedTest(name = "{0}x{1}@{3}x{4}, ->{6}, kernel {5}, stride {2}, pad {7}, groups {8}, relu {9}")
    @CsvSource({
        // n, c, stride, h, w, kernel, k, pad, groups, relu
        "3, 1, 1, 28, 28, 5, 6, 2, 1, true",     // LeNet conv1
        "2, 6, 1, 14, 14, 5, 16, 0, 1, true",    // LeNet conv2
        "2, 16, 1, 9, 11, 3, 16, 1, 1, false",
        "1, 32, 1, 8, 8, 3, 32, 1, 1, true",     // q = 288: two k blocks in the GEMM
        "2, 3, 1, 7, 5, 3, 13, 1, 1, false",     // 13 filters: a last panel of 3 (or 1) rows
        "2, 4, 1, 6, 7, 3, 6, 1, 2, true",       // groups
        "1, 5, 1, 5, 5, 3, 7, 2, 1, false",      // pad > R/2: output larger than input
        // rows of 16 (and 8) pixels: tiles written straight into y (ImplicitGemm.rowTiles)
        "2, 16, 1, 16, 16, 3, 16, 1, 1, true",   // 16 filters: a last panel of one row
        "1, 3, 1, 16, 16, 3, 13, 1, 1, false",
        "2, 4, 1, 8, 16, 3, 6, 1, 2, true",      // groups: 3 filters a group
        // rows narrower than a tile: ShiftedPlanes (8x4 maps with 8 or 16 lanes, 8x8 with 16)
        "2, 6, 1, 8, 4, 3, 10, 1, 1, true",
        "1, 5, 1, 10, 6, 3, 7, 0, 1, false",     // pad 0
        "2, 3, 1, 8, 4, 5, 6, 2, 1, true",       // 5x5
        "2, 4, 1, 8, 4, 3, 6, 1, 2, true",       // groups
        "1, 64, 1, 8, 8, 3, 64, 1, 1, true",     // ResNet-20's third stage: q = 576
        // strided: ShiftedPlanes with row phases
        "2, 16, 2, 32, 32, 3, 32, 1, 1, true",   // ResNet-20's stage 2 entry
        "1, 32, 2, 16, 16, 1, 64, 0, 1, false",  // its 1x1 projection shortcut
        "2, 5, 2, 9, 16, 3, 7, 1, 1, true",      // odd height
        "1, 4, 3, 12, 24, 5, 6, 2, 2, false",    // stride 3, 5x5, groups
    })
    void matchesIm2colAndTheDirectReference(int n, int c, int stride, int h, int w, int kernel, int k, int pad, int groups, boolean relu) {
        assumeTrue(ImplicitGemm.AVAILABLE, "the Vector API module is not loaded (run with --add-modules jdk.incubator.vector)");
        Conv2d.Config cfg = Conv2d.config(c, k, kernel).stride(stride).padding(pad).groups(groups).build();
        ConvGeometry g = ConvGeometry.of(cfg, Shape.of(n, c, h, w));
        Rng rng = new Rng(17L * n + 5L * c + k + h + w + pad);
        float[][] io = {random(rng, g.inputShape()), random(rng, g.filterShape()), random(rng, Shape.of(k)), random(rng, g.outputShape())};
        float[][] on = run(g, relu, true, io), off = run(g, relu, false, io);
        String what = cfg.describe() + " on " + g.inputShape() + (relu ? " + relu" : "");
        if (g.colRows() <= 256) assertArrayEquals(off[0], on[0], "y: same multiply-add chains as the GEMM: " + what);
        double[][] ref = reference(g, io[0], io[1], io[2], io[3], on[0], relu);
        double tol = 2e-6 * Math.sqrt(g.colRows());
        assertClose("y " + what, ref[0], toDouble(on[0]), tol, tol);
        assertClose("dX " + what, ref[1], toDouble(on[1]), tol, tol);
        assertClose("dX im2col " + what, ref[1], toDouble(off[1]), tol, tol);
        if (FlippedData.applies(g)) assertClose("dX flipped " + what, ref[1], toDouble(run(g, relu, true, io, true)[1]), tol, tol);
        double sums = Math.sqrt(n * g.outPixels());
        assertClose("dW " + what, ref[2], toDouble(on[2]), tol * sums, tol * sums);
        assertClose("dB " + what, ref[3], toDouble(on[3]), tol * sums, tol * sums);
    }

    /** y, dX, dW, dB of one forward and backward; the flipped-filter dX is off (unless asked) so dX goes through this engine. */
    private static float[][] run(ConvGeometry g, boolean relu, boolean implicit, float[][] io) {
        return run(g, relu, implicit, io, false);
    }

    private static float[][] run(ConvGeometry g, boolean relu, boolean implicit, float[][] io, boolean flipped) {
        ConvCpu op = new ConvCpu(g, true, ConvCpu.CHUNK_FLOATS, implicit);
        op.useFlippedData(flipped);
        op.useWinograd(false);      // the direct implicit product (WinogradTest covers that forward)
        ConvPass p = ConvPass.run(op, g, relu, io);
        return new float[][] {p.y().data(), p.dX().data(), p.dW().data(), p.dB().data()};
    }

    /** Direct y, dX, dW and dB in double; relu' is taken from the engine's own y. */
    private static double[][] reference(ConvGeometry g, float[] x, float[] w, float[] b, float[] dyIn, float[] y, boolean relu) {
        int cg = g.cg(), kg = g.kg();
        double[] out = new double[y.length], dx = new double[x.length], dw = new double[w.length], db = new double[b.length];
        for (int i = 0; i < g.n(); i++) {
            for (int k = 0; k < g.k(); k++) {
                int grp = k / kg;
                for (int oy = 0; oy < g.oh(); oy++) {
                    for (int ox = 0; ox < g.ow(); ox++) {
                        int yi = ((i * g.k() + k) * g.oh() + oy) * g.ow() + ox;
                        double d = relu && !(y[yi] > 0f) ? 0 : dyIn[yi], sum = b[k];
                        db[k] += d;
                        for (int c = 0; c < cg; c++) {
                            for (int r = 0; r < g.r(); r++) {
                                for (int s = 0; s < g.s(); s++) {
                                    int iy = oy * g.strideH() - g.padH() + r, ix = ox * g.strideW() - g.padW() + s;
                                    if (iy < 0 || iy >= g.h() || ix < 0 || ix >= g.w()) continue;
                                    int xi = ((i * g.c() + grp * cg + c) * g.h() + iy) * g.w() + ix, wi = ((k * cg + c) * g.r() + r) * g.s() + s;
                                    sum += (double) w[wi] * x[xi];
                                    dx[xi] += d * w[wi];
                                    dw[wi] += d * x[xi];
                                }
                            }
                        }
                        out[yi] = relu ? Math.max(sum, 0) : sum;
                    }
                }
            }
        }
        return new double[][] {out, dx, dw, db};
    }

    private static float[] random(Rng rng, Shape s) {
        Tensor t = Tensor.zeros(s);
        rng.uniform(t.data(), 0, t.size(), -1f, 1f);
        return t.data();
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }
}
