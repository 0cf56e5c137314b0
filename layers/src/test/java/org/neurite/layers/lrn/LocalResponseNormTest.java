package org.neurite.layers.lrn;

import static org.neurite.runtime.TensorAsserts.assertClose;

import org.junit.jupiter.api.Test;
import org.neurite.layers.GradCheck;
import org.neurite.layers.Mode;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/** Values from PyTorch's formula, y_c = x_c / (k + alpha/size * sum_{W(c)} x^2)^beta, worked by hand. */
class LocalResponseNormTest {

    private static double[] run(LocalResponseNorm.Config cfg, float... x) {
        Tensor y = new LocalResponseNorm(cfg).forward(Tensor.wrap(Shape.of(1, x.length, 1, 1), x), Mode.TRAIN);
        double[] d = new double[y.size()];
        for (int i = 0; i < d.length; i++) d[i] = y.get(i);
        return d;
    }

    @Test void oddWindowIsCentred() {
        // size 3, alpha 0.3 (divided by 3: 0.1), beta 0.75, k 2; x = 1, 2, 3
        // c0: window {0,1}: 1+4 = 5  -> s = 2 + 0.1*5  = 2.5
        // c1: window {0,1,2}: 14     -> s = 2 + 0.1*14 = 3.4
        // c2: window {1,2}: 4+9 = 13 -> s = 2 + 0.1*13 = 3.3
        double[] expected = {1 * Math.pow(2.5, -0.75), 2 * Math.pow(3.4, -0.75), 3 * Math.pow(3.3, -0.75)};
        assertClose("y", expected, run(LocalResponseNorm.Config.of(3, 0.3f, 0.75f, 2f), 1, 2, 3), 1e-6, 1e-7);
    }

    @Test void evenWindowLooksOneFurtherBack() {
        // size 2: W(c) = [c - 1, c]; alpha 0.4 / 2 = 0.2, beta 0.5, k 1; x = 1, 2, 3
        // c0: {0}: 1 -> s = 1.2;  c1: {0,1}: 5 -> s = 2.0;  c2: {1,2}: 13 -> s = 3.6
        double[] expected = {1 / Math.sqrt(1.2), 2 / Math.sqrt(2.0), 3 / Math.sqrt(3.6)};
        assertClose("y", expected, run(LocalResponseNorm.Config.of(2, 0.4f, 0.5f, 1f), 1, 2, 3), 1e-6, 1e-7);
    }

    @Test void pytorchDefaultsOnAWideWindow() {
        // size 5, alpha 1e-4 / 5 = 2e-5, beta 0.75, k 1; x = 10, 20 (both windows hold both channels)
        // s = 1 + 2e-5 * 500 = 1.01
        double s = 1 + 2e-5 * 500;
        double[] expected = {10 * Math.pow(s, -0.75), 20 * Math.pow(s, -0.75)};
        assertClose("y", expected, run(LocalResponseNorm.Config.of(5), 10, 20), 1e-6, 1e-7);
    }

    private static void gradCheck(LocalResponseNorm.Config cfg, Shape s, long seed) {
        float[] x = new float[s.size()];
        new Rng(seed).uniform(x, 0, x.length, -2f, 2f);
        GradCheck.standard().check(new LocalResponseNorm(cfg), Tensor.wrap(s, x), Mode.TRAIN, seed + 1);
    }

    // A large alpha makes the cross-channel term of the gradient as big as the direct one.
    @Test void gradCheckOddWindow() { gradCheck(LocalResponseNorm.Config.of(3, 1.5f, 0.75f, 1f), Shape.of(2, 5, 2, 3), 1); }

    @Test void gradCheckEvenWindow() { gradCheck(LocalResponseNorm.Config.of(4, 2f, 0.6f, 2f), Shape.of(2, 6, 2, 2), 3); }

    @Test void gradCheckWindowWiderThanChannels() { gradCheck(LocalResponseNorm.Config.of(7, 1f, 0.75f, 1f), Shape.of(1, 3, 3, 3), 5); }

    @Test void gradCheckAlexNet() { gradCheck(LocalResponseNorm.Config.of(5, 1e-4f, 0.75f, 2f), Shape.of(2, 6, 2, 2), 7); }
}
