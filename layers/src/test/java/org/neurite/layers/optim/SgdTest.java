package org.neurite.layers.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurite.layers.Param;
import org.neurite.runtime.Tensor;

class SgdTest {
    static Param scalar(String name, float w) {
        return Param.of(name, Tensor.wrap(org.neurite.runtime.Shape.of(1), new float[] {w}));
    }

    /** Sets the gradient, steps, returns the weight. */
    static float step(Optimizer opt, Param p, float grad) {
        p.grad().set(0, grad);
        opt.step();
        return p.value().get(0);
    }

    @Test void momentumFirstStepsByHand() {
        Param p = scalar("w", 1f);
        Sgd sgd = new Sgd(List.of(p), 0.1, 0.9);
        // v1 = 1,               w1 = 1    - 0.1 * 1    = 0.9
        // v2 = 0.9 * 1 + 2      = 2.9,  w2 = 0.9  - 0.29   = 0.61
        // v3 = 0.9 * 2.9 - 1    = 1.61, w3 = 0.61 - 0.161  = 0.449
        assertEquals(0.9f, step(sgd, p, 1f), 1e-6);
        assertEquals(0.61f, step(sgd, p, 2f), 1e-6);
        assertEquals(0.449f, step(sgd, p, -1f), 1e-6);
        assertEquals(1.61f, sgd.state().get("w.momentum").get(0), 1e-6);
        assertEquals(3, sgd.steps());
    }

    @Test void nesterovFirstStepsByHand() {
        Param p = scalar("w", 1f);
        Sgd sgd = new Sgd(List.of(p), Sgd.Config.of(0.1).withMomentum(0.9).withNesterov(true));
        // v1 = 1,    g' = 1  + 0.9 * 1    = 1.9,   w1 = 1     - 0.19   = 0.81
        // v2 = 2.9,  g' = 2  + 0.9 * 2.9  = 4.61,  w2 = 0.81  - 0.461  = 0.349
        // v3 = 1.61, g' = -1 + 0.9 * 1.61 = 0.449, w3 = 0.349 - 0.0449 = 0.3041
        assertEquals(0.81f, step(sgd, p, 1f), 1e-6);
        assertEquals(0.349f, step(sgd, p, 2f), 1e-6);
        assertEquals(0.3041f, step(sgd, p, -1f), 1e-6);
    }

    @Test void weightDecayAddsToTheGradient() {
        Param p = scalar("w", 2f);
        Sgd plain = new Sgd(List.of(p), Sgd.Config.of(0.1).withWeightDecay(0.5));
        // g' = 1 + 0.5 * 2 = 2, w = 2 - 0.2 = 1.8
        assertEquals(1.8f, step(plain, p, 1f), 1e-6);
        assertTrue(plain.state().isEmpty(), "no momentum buffer without momentum");

        Param q = scalar("w", 2f);
        Sgd withMomentum = new Sgd(List.of(q), Sgd.Config.of(0.1).withMomentum(0.9).withWeightDecay(0.5));
        // v1 = 2, w1 = 1.8; g2' = 1 + 0.9 = 1.9, v2 = 1.8 + 1.9 = 3.7, w2 = 1.8 - 0.37 = 1.43
        assertEquals(1.8f, step(withMomentum, q, 1f), 1e-6);
        assertEquals(1.43f, step(withMomentum, q, 1f), 1e-6);
    }

    @Test void learningRateCanBeScheduled() {
        Param p = scalar("w", 1f);
        Sgd sgd = new Sgd(List.of(p), 0.1, 0);
        sgd.setLearningRate(0.5);
        assertEquals(0.5, sgd.learningRate());
        assertEquals(0.5f, step(sgd, p, 1f), 1e-6);
    }

    @Test void rejectsBadSettings() {
        Param p = scalar("w", 1f);
        assertThrows(IllegalArgumentException.class, () -> Sgd.Config.of(0.1).withNesterov(true));
        assertThrows(IllegalArgumentException.class, () -> Sgd.Config.of(-1));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(p, scalar("w", 0f)), 0.1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(), 0.1, 0));
    }
}
