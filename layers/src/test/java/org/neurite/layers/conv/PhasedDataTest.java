package org.neurite.layers.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.neurite.runtime.TensorAsserts.assertClose;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.neurite.runtime.Parallel;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * The input gradient of stride-2 3x3 convolutions as four stride-1 products ({@link PhasedData}),
 * against a double-precision direct reference and the im2col engine, on one and two threads,
 * with and without the fused ReLU; dW and dB do not depend on which path computed dX.
 */
class PhasedDataTest {

    private static Tensor random(Rng rng, Shape s) {
        Tensor t = Tensor.zeros(s);
        rng.uniform(t.data(), 0, t.size(), -1f, 1f);
        return t;
    }

    private static float[][] run(ConvGeometry g, boolean relu, boolean phased, float[][] io) {
        ConvCpu op = new ConvCpu(g);
        op.usePhasedData(phased);
        ConvPass p = ConvPass.run(op, g, relu, io);
        op.backward(p.x(), p.y(), p.dY(), p.w(), relu, p.dX(), null, null);     // a second call: the buffers are reused, dX overwritten
        return new float[][] {p.dX().data(), p.dW().data(), p.dB().data(), p.y().data()};
    }

    @ParameterizedTest(name = "{0}x{1}->{2} on {3}x{4}, batch {5}, relu {6}")
    @CsvSource({
        "16, 32, 32, 32, 3, false",     // ResNet's first down-sampling
        "32, 64, 16, 16, 2, true",      // its second, with a fused ReLU
        "3, 5, 8, 16, 1, false",        // few channels, a wide map, odd filter count
        "7, 16, 16, 8, 5, true",        // a tall map, more samples than slices
    })
    void matchesTheDirectReferenceAndIm2col(int c, int k, int h, int w, int n, boolean relu) {
        assumeTrue(ImplicitGemm.AVAILABLE, "the Vector API module is not loaded (run with --add-modules jdk.incubator.vector)");
        ConvGeometry g = ConvGeometry.of(Conv2d.config(c, k, 3).stride(2).padding(1).build(), Shape.of(n, c, h, w));
        assertTrue(PhasedData.applies(g), g.toString());
        int saved = Parallel.threads();
        try {
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                Rng rng = new Rng(17L * c + k + h + n);
                float[][] io = {random(rng, g.inputShape()).data(), random(rng, g.filterShape()).data(),
                    random(rng, Shape.of(k)).data(), random(rng, g.outputShape()).data()};
                float[][] on = run(g, relu, true, io), off = run(g, relu, false, io);
                String what = g.inputShape() + " -> " + g.outputShape() + (relu ? " + relu" : "") + ", " + threads + " threads";
                assertArrayEquals(off[1], on[1], "dW does not depend on the dX path: " + what);
                assertArrayEquals(off[2], on[2], "dB: " + what);
                float[] masked = io[3].clone();
                for (int i = 0; i < masked.length; i++) if (relu && !(on[3][i] > 0f)) masked[i] = 0f;
                double[] ref = ConvBackwardPathsTest.reference(g, io[0], io[1], masked)[0];
                double tol = 2e-6 * Math.sqrt(9.0 * k);   // each value sums up to K*4 products of values in [-1, 1]
                assertClose("dX phased " + what, ref, toDouble(on[0]), tol, tol);
                assertClose("dX im2col " + what, ref, toDouble(off[0]), tol, tol);
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void onlyStrideTwoThreeByThreeWithPaddingOneOnEvenMaps() {
        assumeTrue(ImplicitGemm.AVAILABLE, "the Vector API module is not loaded (run with --add-modules jdk.incubator.vector)");
        Shape in = Shape.of(1, 16, 32, 32);
        assertTrue(PhasedData.applies(ConvGeometry.of(Conv2d.config(16, 32, 3).stride(2).padding(1).build(), in)));
        assertFalse(PhasedData.applies(ConvGeometry.of(Conv2d.config(16, 32, 3).padding(1).build(), in)), "stride 1");
        assertFalse(PhasedData.applies(ConvGeometry.of(Conv2d.config(16, 32, 1).stride(2).build(), in)), "1x1");
        assertFalse(PhasedData.applies(ConvGeometry.of(Conv2d.config(16, 32, 3).stride(2).build(), in)), "no padding");
        assertFalse(PhasedData.applies(ConvGeometry.of(Conv2d.config(16, 32, 3).stride(2).padding(1).build(), Shape.of(1, 16, 31, 32))),
                "odd height");
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }
}
