package org.neurite.layers.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/** The engine itself: the kept-columns and recomputed-columns paths give the same bits. */
class ConvCpuTest {

    private static Tensor random(Rng rng, Shape s) {
        Tensor t = Tensor.zeros(s);
        rng.uniform(t.data(), 0, t.size(), -1f, 1f);
        return t;
    }

    @Test void keptAndRecomputedColumnsAgree() {
        Conv2d.Config[] configs = {
            Conv2d.config(4, 6, 3).stride(2).padding(1).groups(2).build(),
            Conv2d.config(3, 5, 3).kernel(3, 2).dilation(2, 1).padding(2, 1).build(),
        };
        for (Conv2d.Config cfg : configs) {
            ConvGeometry g = ConvGeometry.of(cfg, Shape.of(3, cfg.inChannels(), 7, 6));
            Rng rng = new Rng(8);
            Tensor x = random(rng, g.inputShape()), w = random(rng, g.filterShape()), b = random(rng, Shape.of(g.k()));
            Tensor dY = random(rng, g.outputShape());
            float[][] results = new float[2][];
            for (int keep = 0; keep < 2; keep++) {
                ConvCpu op = new ConvCpu(g, keep == 1);
                Tensor y = Tensor.zeros(g.outputShape());
                Tensor dW = Tensor.zeros(g.filterShape());
                op.forward(x, w, b, y);
                op.backwardFilter(x, dY, dW);
                results[keep] = dW.data();
            }
            assertArrayEquals(results[0], results[1], cfg.describe());
        }
    }
}
