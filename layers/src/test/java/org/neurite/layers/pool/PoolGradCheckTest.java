package org.neurite.layers.pool;

import org.junit.jupiter.api.Test;
import org.neurite.layers.GradCheck;
import org.neurite.layers.Mode;
import org.neurite.layers.Module;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * Finite differences through pooling. Inputs are a shuffled ladder with steps of 0.1, far wider than
 * the check's step, so no window has a tie and max pooling is differentiable everywhere checked.
 */
class PoolGradCheckTest {

    private static Tensor distinct(int n, int c, int h, int w, long seed) {
        int[] order = new int[n * c * h * w];
        for (int i = 0; i < order.length; i++) order[i] = i;
        new Rng(seed).shuffle(order);
        float[] x = new float[order.length];
        for (int i = 0; i < x.length; i++) x[i] = 0.1f * order[i] - 0.05f * x.length;
        return Tensor.wrap(Shape.of(n, c, h, w), x);
    }

    private static void check(Module pool, int h, int w, long seed) {
        GradCheck.standard().check(pool, distinct(2, 2, h, w, seed), Mode.TRAIN, seed + 1);
    }

    @Test void max2x2Stride2() { check(new MaxPool2d(Pool2d.Config.of(2, 2)), 4, 6, 1); }

    @Test void max3x3Stride2Overlapping() { check(new MaxPool2d(Pool2d.Config.of(3, 2)), 7, 5, 2); }

    @Test void maxPadding1() { check(new MaxPool2d(Pool2d.Config.of(3, 2, 1)), 6, 6, 3); }

    @Test void avg2x2Stride2() { check(new AvgPool2d(Pool2d.Config.of(2, 2)), 4, 6, 4); }

    @Test void avg3x3Stride2Overlapping() { check(new AvgPool2d(Pool2d.Config.of(3, 2)), 7, 5, 5); }

    @Test void avgPadding1() { check(new AvgPool2d(Pool2d.Config.of(3, 2, 1)), 6, 6, 6); }

    @Test void globalAvg() { check(new GlobalAvgPool(), 3, 4, 7); }
}
