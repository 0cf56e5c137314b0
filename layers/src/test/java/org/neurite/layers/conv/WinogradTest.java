package org.neurite.layers.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.neurite.runtime.TensorAsserts.assertClose;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.neurite.layers.GradCheck;
import org.neurite.layers.Mode;
import org.neurite.runtime.Parallel;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * The Winograd F(2x2,3x3) forward against the double-precision direct sum and the direct implicit
 * product: 32-64 channels, 8x8 to 32x32 planes (rows of whole vectors of tiles and not), batch
 * 1-5, bias, fused ReLU, the masked input of the flipped backward, every thread count giving the
 * same bits, and a gradient check of a layer that runs on it. The filter gradient by the same
 * transforms ({@link WinogradFilterGradient}) against the exact sum and the direct product.
 */
class WinogradTest {

    @BeforeEach
    void winogradRuns() {
        assumeTrue(ImplicitGemm.AVAILABLE, "the Vector API module is not loaded (run with --add-modules jdk.incubator.vector)");
        assumeTrue(Winograd.fits(same3x3(1, 32, 32, 16, 16)), "Winograd is switched off (-Dneurite.winograd=false)");
    }

    private static float[] random(Rng rng, int n) {
        float[] a = new float[n];
        rng.uniform(a, 0, n, -1f, 1f);
        return a;
    }

    private static ConvGeometry same3x3(int n, int c, int k, int h, int w) {
        return ConvGeometry.of(Conv2d.config(c, k, 3).padding(1).build(), Shape.of(n, c, h, w));
    }

    private static float[] forward(ConvGeometry g, boolean winograd, boolean relu, float[] x, float[] w, float[] b) {
        ConvCpu op = new ConvCpu(g);
        op.useWinograd(winograd);
        assertTrue(op.winograd() == winograd, "the path asked for runs");
        Tensor y = Tensor.zeros(g.outputShape());
        op.forward(Tensor.wrap(g.inputShape(), x), Tensor.wrap(g.filterShape(), w), b == null ? null : Tensor.wrap(Shape.of(g.k()), b), y, relu);
        return y.data();
    }

    /**
     * The direct product's bound (ImplicitGemmTest): sums of 9C products of values in [-1, 1].
     * Winograd's error measured half the direct chain's (32@16x16: 5.7e-6 against 1.5e-5 at
     * |y| up to 21): its chains are C long instead of 9C, which outweighs the transforms' sums.
     */
    private static double tolerance(int c) {
        return 2e-6 * Math.sqrt(9.0 * c);
    }

    private static void check(int n, int c, int k, int h, int w, boolean bias, boolean relu) {
        ConvGeometry g = same3x3(n, c, k, h, w);
        assertTrue(Winograd.applies(g), g.toString());
        Rng rng = new Rng(13L * c + k + h * 7L + w + n);
        float[] x = random(rng, g.inputShape().size()), wt = random(rng, g.filterShape().size()), b = bias ? random(rng, k) : null;
        float[] wino = forward(g, true, relu, x, wt, b), direct = forward(g, false, relu, x, wt, b);
        float[] ref = NaiveConv.forward(Conv2d.config(c, k, 3).padding(1).build(), n, h, w, x, wt, b);
        if (relu) for (int i = 0; i < ref.length; i++) ref[i] = Math.max(ref[i], 0f);
        String what = g.inputShape() + " -> " + k + (bias ? " + bias" : "") + (relu ? " + relu" : "");
        double tol = tolerance(c);
        assertClose("winograd vs the exact sum " + what, ref, wino, tol, tol);
        assertClose("winograd vs the direct product " + what, direct, wino, tol, tol);
        double maxAbs = 0;
        for (float v : ref) maxAbs = Math.max(maxAbs, Math.abs(v));
        assertTrue(maxAbs > 1, "outputs of a real size: " + maxAbs);
    }

    @Test void matchesTheExactSumAndTheDirectProduct() {
        check(1, 32, 32, 8, 8, true, false);        // 4 tiles a row: two rows a vector with 256-bit vectors
        check(3, 32, 48, 16, 16, true, true);
        check(2, 32, 32, 32, 32, false, false);     // 16 tiles a row: whole vectors
        check(5, 64, 64, 8, 8, false, true);        // ResNet-20's last stage
        check(3, 32, 32, 8, 8, false, true);        // two samples a chunk
        check(2, 32, 36, 8, 16, true, false);       // 36 filters: a last panel of 1 row (5-row panels) or 4 (8-row), on 4-row tiles
        check(1, 48, 32, 16, 8, true, true);        // taller than wide
        check(2, 32, 32, 16, 12, false, false);     // 6 tiles a row: neither whole vectors nor half of one (split rows)
    }

    @Test void appliesOnlyTo3x3SameConvolutionsWithChannelsAndEvenPlanes() {
        assertTrue(Winograd.applies(same3x3(1, 32, 32, 16, 16)));
        assertFalse(Winograd.applies(same3x3(1, 16, 16, 32, 32)), "16 channels: the direct product is faster");
        assertTrue(WinogradFilterGradient.applies(same3x3(1, 16, 32, 32, 32)), "but not the direct filter gradient");
        assertTrue(WinogradFilterGradient.applies(same3x3(1, 16, 16, 32, 32)), "ResNet's first stage: 16 filters, one or two vectors");
        assertFalse(WinogradFilterGradient.applies(same3x3(1, 8, 32, 32, 32)), "8 channels: the direct filter gradient");
        assertFalse(Winograd.applies(same3x3(1, 3, 16, 32, 32)), "3 input channels: k = C too short");
        assertFalse(Winograd.applies(same3x3(1, 32, 16, 32, 32)), "16 filters");
        assertFalse(Winograd.applies(same3x3(1, 32, 32, 9, 8)), "odd height");
        assertFalse(Winograd.applies(same3x3(1, 32, 32, 8, 6)), "narrower than 8");
        assertFalse(Winograd.applies(ConvGeometry.of(Conv2d.config(32, 32, 3).stride(2).padding(1).build(), Shape.of(1, 32, 8, 8))));
        assertFalse(Winograd.applies(ConvGeometry.of(Conv2d.config(32, 32, 3).padding(0).build(), Shape.of(1, 32, 8, 8))));
        assertFalse(Winograd.applies(ConvGeometry.of(Conv2d.config(32, 32, 3).padding(1).groups(2).build(), Shape.of(1, 32, 8, 8))));
        assertFalse(Winograd.applies(ConvGeometry.of(Conv2d.config(32, 32, 5).padding(2).build(), Shape.of(1, 32, 8, 8))));
    }

    @Test void eightByEightPlanesGiveTheRowByRowTransformsBits() {
        assumeTrue(WinogradVector.V == 16, "8x8 planes take their own input transform with 16-lane vectors only");
        Rng rng = new Rng(11);
        int tiles = 16, ld = 48, vs = 3 * ld + 16;           // three planes side by side, as a chunk's samples
        float[] x = random(rng, 3 * 64 + 5);
        x[7] = -0f;
        x[70] = 0f;
        float[] fast = new float[16 * vs], byRows = new float[16 * vs];
        for (int plane = 0; plane < 3; plane++) {
            int xOff = 5 + 64 * plane, vOff = plane * ld + (plane == 2 ? tiles : 0);
            WinogradVector.input(8, 4, x, xOff, new float[16], new float[8 * 5 * 4], fast, vOff, vs);
            WinogradVector.inputByRows(8, 4, x, xOff, new float[16], new float[8 * 5 * 4], byRows, vOff, vs);
        }
        for (int i = 0; i < fast.length; i++) {
            assertEquals(Float.floatToRawIntBits(byRows[i]), Float.floatToRawIntBits(fast[i]), "V at " + i + ": " + byRows[i] + " vs " + fast[i]);
        }
        // one value by hand: V_5 (xi = 4*1 + 1) of tile (0, 0) is (d11 + d21) + (d12 + d22) over padded rows and columns 1, 2
        double hand = (x[5] + x[5 + 8]) + (x[5 + 1] + x[5 + 9]);
        assertEquals(hand, fast[5 * vs], 1e-6, "V_5 of the first tile");
    }

    @Test void eightByEightOutputPlanesInterleaveTheirScratchsPixels() {
        Rng rng = new Rng(12);
        int st = 40;                                        // M_xi 40 floats apart, 16 tiles each
        float[] m = random(rng, 16 * st + 3), out = new float[64], y = new float[3 + 64 + 2];
        WinogradVector.output(4, 4, m, 3, st, 0.25f, true, out, y, 3);
        for (int ti = 0; ti < 4; ti++) {
            for (int tj = 0; tj < 4; tj++) {
                int t = 4 * ti + tj;
                for (int dy = 0; dy < 2; dy++) {
                    for (int dx = 0; dx < 2; dx++) {
                        // A^T M A by hand: the tile's 2x2 pixel (dy, dx), plus bias, ReLU
                        double sum = 0;
                        for (int a = 0; a < 4; a++) {
                            for (int b = 0; b < 4; b++) sum += AT[dy][a] * AT[dx][b] * m[3 + (4 * a + b) * st + t];
                        }
                        double expected = Math.max(sum + 0.25, 0);
                        assertEquals(expected, y[3 + (2 * ti + dy) * 8 + 2 * tj + dx], 1e-5, "tile " + t + " pixel (" + dy + ", " + dx + ")");
                    }
                }
            }
        }
        assertEquals(0f, y[0], 0f, "before the plane");
        assertEquals(0f, y[3 + 64], 0f, "after the plane");
    }

    private static final double[][] AT = {{1, 1, 1, 0}, {0, 1, -1, -1}};

    @Test void chunksOfSmallPlanesFillWholeGemmTiles() {
        assumeTrue(ImplicitGemm.AVAILABLE, "the Vector API module is not loaded (run with --add-modules jdk.incubator.vector)");
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(2);
            // ResNet's last stage: 16 tiles a sample, one sample within the budget; 32-column tiles (512-bit) take two
            int batch = new Winograd(same3x3(64, 64, 64, 8, 8)).batch();
            assertEquals(Math.max(1, ImplicitGemm.tileColumns() / 16), batch, "64@8x8 samples a chunk");
            assertEquals(0, batch * 16 % ImplicitGemm.tileColumns(), "whole tiles");
            assertEquals(1, new Winograd(same3x3(2, 64, 64, 8, 8)).batch(), "never more than a thread's share");
            assertEquals(1, new Winograd(same3x3(64, 32, 32, 16, 16)).batch(), "64 tiles a sample fill whole tiles alone");
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test void everyThreadCountGivesTheSameBits() {
        ConvGeometry g = same3x3(7, 32, 32, 8, 8);   // two samples a chunk: the chunking changes with the threads
        assertEquals(2, new Winograd(g).batch(), "two samples a chunk");
        Rng rng = new Rng(3);
        float[] x = random(rng, g.inputShape().size()), w = random(rng, g.filterShape().size()), b = random(rng, 32);
        int saved = Parallel.threads();
        try {
            float[] one = null;
            for (int threads : new int[] {1, 2, 3}) {
                Parallel.setThreads(threads);
                float[] a = forward(g, true, true, x, w, b), again = forward(g, true, true, x, w, b);
                assertArrayEquals(a, again, threads + " threads twice");
                if (one == null) one = a;
                assertArrayEquals(one, a, "every output is the same sum whatever the chunking: " + threads + " threads");
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test void theMaskedForwardIsTheForwardOfTheMaskedInput() {
        ConvGeometry g = same3x3(3, 32, 32, 16, 16);
        Rng rng = new Rng(9);
        float[] x = random(rng, g.inputShape().size()), m = random(rng, g.inputShape().size()), w = random(rng, g.filterShape().size());
        float[] byHand = x.clone();
        int kept = 0;
        for (int i = 0; i < x.length; i++) {
            if (m[i] > 0f) kept++;
            else byHand[i] = 0f;
        }
        assertTrue(kept > x.length / 3 && kept < 2 * x.length / 3, "about half the input masked: " + kept);
        ConvCpu op = new ConvCpu(g);
        assertTrue(op.winograd() && op.masksInPlace());
        Tensor masked = Tensor.zeros(g.inputShape()), y = Tensor.zeros(g.outputShape());
        op.forwardMasked(Tensor.wrap(g.inputShape(), x), Tensor.wrap(g.inputShape(), m), masked, Tensor.wrap(g.filterShape(), w), y);
        assertArrayEquals(byHand, masked.data(), "the masked input is written for the filter gradient");
        assertArrayEquals(forward(g, true, false, byHand, w, null), y.data(), "same bits as the forward of the masked input");
    }

    /** dW and dB of one backward after a forward (fused ReLU or not), with Winograd on or off. */
    private static float[][] filterGradient(ConvGeometry g, boolean winograd, boolean relu, float[][] io) {
        ConvCpu op = new ConvCpu(g);
        op.useWinograd(winograd);
        Tensor x = Tensor.wrap(g.inputShape(), io[0]), w = Tensor.wrap(g.filterShape(), io[1]), dY = Tensor.wrap(g.outputShape(), io[2]);
        Tensor y = Tensor.zeros(g.outputShape()), dW = Tensor.wrap(g.filterShape(), io[3].clone()), dB = Tensor.zeros(Shape.of(g.k()));
        op.forward(x, w, null, y, relu);
        op.backward(x, y, dY, w, relu, null, dW, dB);
        return new float[][] {dW.data(), dB.data(), y.data()};
    }

    private static void checkFilterGradient(int n, int c, int k, int h, int w, boolean relu) {
        ConvGeometry g = same3x3(n, c, k, h, w);
        assertTrue(WinogradFilterGradient.applies(g), g.toString());
        Rng rng = new Rng(7L * c + k + h + 3L * n);
        float[][] io = {random(rng, g.inputShape().size()), random(rng, g.filterShape().size()), random(rng, g.outputShape().size()),
            random(rng, g.filterShape().size())};    // dW's prior contents: the gradient is added to them
        float[][] wino = filterGradient(g, true, relu, io), direct = filterGradient(g, false, relu, io);
        float[] masked = io[2].clone();
        for (int i = 0; i < masked.length; i++) if (relu && !(direct[2][i] > 0f)) masked[i] = 0f;
        double[] ref = ConvBackwardPathsTest.reference(g, io[0], io[1], masked)[1], refB = new double[k];
        for (int i = 0; i < ref.length; i++) ref[i] += io[3][i];
        for (int i = 0; i < masked.length; i++) refB[i / g.outPixels() % k] += masked[i];
        String what = g.inputShape() + " -> " + k + (relu ? " + relu" : "");
        // sums of n*P products (values in [-1, 1]) of sums of 9 (the direct bound of ImplicitGemmTest)
        double tol = 2e-6 * Math.sqrt(9.0 * c) * Math.sqrt(n * g.outPixels());
        assertClose("dW vs the exact sum " + what, ref, toDouble(wino[0]), tol, tol);
        assertClose("dW vs the direct product " + what, direct[0], wino[0], tol, tol);
        assertClose("dB vs the exact sum " + what, refB, toDouble(wino[1]), tol, tol);
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    @Test void filterGradientMatchesTheExactSumAndTheDirectProduct() {
        checkFilterGradient(3, 32, 32, 16, 16, false);
        checkFilterGradient(5, 64, 64, 8, 8, true);
        if (WinogradVector.V <= 8) {                      // 4x8 planes hold whole vectors of tiles only up to 256 bits
            assertEquals(2, new WinogradFilterGradient(same3x3(5, 32, 32, 4, 8)).batch(), "two samples a chunk");
            checkFilterGradient(5, 32, 32, 4, 8, true);
        }
        checkFilterGradient(2, 48, 32, 8, 16, true);
        checkFilterGradient(1, 32, 64, 32, 32, false);
        checkFilterGradient(2, 16, 16, 32, 32, true);        // ResNet's first stage: 4-row tiles (256-bit), one-vector tiles (512-bit)
        checkFilterGradient(3, 16, 32, 16, 16, false);
    }

    @Test void filterGradientGivesTheSameBitsForEachThreadCount() {
        ConvGeometry g = WinogradVector.V <= 8 ? same3x3(9, 32, 32, 4, 8) : same3x3(9, 32, 32, 8, 8);    // two samples a chunk (256-bit)
        Rng rng = new Rng(4);
        float[][] io = {random(rng, g.inputShape().size()), random(rng, g.filterShape().size()), random(rng, g.outputShape().size()),
            new float[g.filterShape().size()]};
        int saved = Parallel.threads();
        try {
            for (int threads : new int[] {1, 2, 3}) {
                Parallel.setThreads(threads);
                float[][] a = filterGradient(g, true, true, io), again = filterGradient(g, true, true, io);
                assertArrayEquals(a[0], again[0], "dW, " + threads + " threads twice");
                assertArrayEquals(a[1], again[1], "dB, " + threads + " threads twice");
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test void gradientsOfALayerOnWinograd() {
        Rng rng = new Rng(21);
        Conv2d conv = new Conv2d(Conv2d.config(32, 32, 3).padding(1).build(), rng);
        assertTrue(Winograd.applies(same3x3(2, 32, 32, 8, 8)));
        float[] x = random(rng, 2 * 32 * 8 * 8);
        GradCheck.standard().check(conv, Tensor.wrap(Shape.of(2, 32, 8, 8), x), Mode.TRAIN, 22);
    }
}
