package org.neurite.layers.conv;

import org.junit.jupiter.api.Test;
import org.neurite.layers.GradCheck;
import org.neurite.layers.Mode;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/** Finite differences for the input, the weight and the bias, on tiny shapes. */
class ConvGradCheckTest {

    private static void check(Conv2d.Config cfg, int n, int h, int w, long seed) {
        Rng rng = new Rng(seed);
        Conv2d conv = new Conv2d(cfg, rng);
        float[] x = new float[n * cfg.inChannels() * h * w];
        rng.uniform(x, 0, x.length, -1f, 1f);
        GradCheck.standard().check(conv, Tensor.wrap(Shape.of(n, cfg.inChannels(), h, w), x), Mode.TRAIN, seed + 1);
    }

    @Test void stride1Pad0() { check(Conv2d.config(2, 3, 3).build(), 2, 5, 5, 10); }

    @Test void stride1Pad1FlippedData() { check(Conv2d.config(2, 3, 3).padding(1).build(), 2, 5, 4, 15); }

    @Test void sixteenFiltersLaneDots() { check(Conv2d.config(16, 16, 3).padding(1).build(), 1, 3, 4, 16); }

    @Test void stride2Pad1() { check(Conv2d.config(2, 3, 3).stride(2).padding(1).build(), 2, 6, 5, 20); }

    @Test void dilation2() { check(Conv2d.config(2, 2, 3).dilation(2).padding(1).build(), 2, 6, 6, 30); }

    @Test void groups2() { check(Conv2d.config(4, 4, 3).groups(2).padding(1).build(), 2, 4, 4, 40); }

    @Test void depthwise() { check(Conv2d.config(3, 3, 3).groups(3).stride(2).padding(1).build(), 2, 5, 5, 50); }

    @Test void pointwise() { check(Conv2d.config(3, 4, 1).build(), 2, 3, 3, 60); }

    @Test void nonSquare() { check(Conv2d.config(2, 2, 3).kernel(2, 3).stride(2, 1).padding(0, 1).build(), 1, 5, 4, 70); }
}
