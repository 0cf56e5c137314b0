package org.neurite.layers.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.neurite.layers.optim.SgdTest.scalar;
import static org.neurite.layers.optim.SgdTest.step;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurite.layers.Param;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

class AdamTest {
    @Test void firstTwoStepsByHand() {
        Param p = scalar("w", 1f);
        Adam adam = new Adam(List.of(p), 0.1);
        // t=1, g=0.5: m = 0.05, v = 0.00025; m/(1-0.9) = 0.5, sqrt(v/(1-0.999)) = 0.5
        //   w = 1 - 0.1 * 0.5 / (0.5 + 1e-8) = 0.900000002
        assertEquals(0.9f, step(adam, p, 0.5f), 1e-6);
        assertEquals(0.05f, adam.state().get("w.exp_avg").get(0), 1e-7);
        assertEquals(0.00025f, adam.state().get("w.exp_avg_sq").get(0), 1e-9);
        // t=2, g=-1: m = 0.045 - 0.1 = -0.055, v = 0.00024975 + 0.001 = 0.00124975
        //   w = 0.9 - 0.1 / 0.19 * m / (sqrt(v / 0.001999) + 1e-8) = 0.93661035
        double expected = 0.9 - 0.1 / (1 - 0.81) * -0.055 / (Math.sqrt(0.00124975 / (1 - 0.998001)) + 1e-8);
        assertEquals(0.93661035, expected, 1e-8);
        assertEquals(0.93661035f, step(adam, p, -1f), 1e-6);
    }

    @Test void firstStepMovesEachWeightByLearningRateTimesSign() {
        Param p = Param.of("w", Tensor.wrap(Shape.of(4), new float[] {1, 1, 1, 1}));
        Adam adam = new Adam(List.of(p), 0.01);
        p.grad().copyFrom(Tensor.wrap(Shape.of(4), new float[] {1e-3f, -5f, 300f, -0.2f}));
        adam.step();
        float[] w = p.value().data();
        assertEquals(0.99f, w[0], 1e-5);
        assertEquals(1.01f, w[1], 1e-6);
        assertEquals(0.99f, w[2], 1e-6);
        assertEquals(1.01f, w[3], 1e-6);
    }

    @Test void adamWDecaysTheWeightDirectly() {
        // Zero gradient: AdamW shrinks w by lr * wd * w and Adam's update is 0 / (0 + eps) = 0.
        Param p = scalar("w", 2f);
        Adam adamW = new Adam(List.of(p), Adam.Config.adamW(0.1, 0.1));
        assertEquals(2f * (1 - 0.1f * 0.1f), step(adamW, p, 0f), 1e-6);
        // Adam's L2 decay instead enters the gradient (g = 0.1 * 2) and moves w by ~lr.
        Param q = scalar("w", 2f);
        Adam adamL2 = new Adam(List.of(q), Adam.Config.adam(0.1).withWeightDecay(0.1));
        assertEquals(1.9f, step(adamL2, q, 0f), 1e-6);
    }
}
