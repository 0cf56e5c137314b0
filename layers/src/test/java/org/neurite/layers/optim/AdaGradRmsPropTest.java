package org.neurite.layers.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.neurite.layers.optim.SgdTest.scalar;
import static org.neurite.layers.optim.SgdTest.step;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurite.layers.Param;

/** AdaGrad and RMSProp: two steps by hand from PyTorch's formulas (w0 = 1, gradients 2 then 1). */
class AdaGradRmsPropTest {
    @Test void adaGradTwoSteps() {
        Param p = scalar("w", 1f);
        AdaGrad opt = new AdaGrad(List.of(p), 0.1);
        // s1 = 4, w1 = 1 - 0.1 * 2 / 2 = 0.9;  s2 = 5, w2 = 0.9 - 0.1 / sqrt(5) = 0.85527864
        assertEquals(0.9f, step(opt, p, 2f), 1e-6);
        assertEquals(0.85527864f, step(opt, p, 1f), 1e-6);
        assertEquals(5f, opt.state().get("w.sum").get(0), 1e-6);
    }

    @Test void rmsPropTwoSteps() {
        Param p = scalar("w", 1f);
        RmsProp opt = new RmsProp(List.of(p), 0.01);
        // v1 = 0.01 * 4 = 0.04, w1 = 1 - 0.01 * 2 / 0.2 = 0.9
        // v2 = 0.99 * 0.04 + 0.01 = 0.0496, w2 = 0.9 - 0.01 / sqrt(0.0496) = 0.85509868
        assertEquals(0.9f, step(opt, p, 2f), 1e-6);
        assertEquals(0.85509868f, step(opt, p, 1f), 1e-6);
        assertEquals(0.0496f, opt.state().get("w.square_avg").get(0), 1e-7);
    }

    @Test void rmsPropMomentumTwoSteps() {
        Param p = scalar("w", 1f);
        RmsProp opt = new RmsProp(List.of(p), RmsProp.Config.of(0.01).withMomentum(0.9));
        // b1 = 2 / 0.2 = 10, w1 = 0.9;  b2 = 9 + 1 / sqrt(0.0496) = 13.490132, w2 = 0.9 - 0.13490132 = 0.76509869
        assertEquals(0.9f, step(opt, p, 2f), 1e-6);
        assertEquals(0.76509869f, step(opt, p, 1f), 1e-6);
    }

    @Test void rmsPropCenteredTwoSteps() {
        Param p = scalar("w", 1f);
        RmsProp opt = new RmsProp(List.of(p), RmsProp.Config.of(0.01).withCentered(true));
        // a1 = 0.02, d1 = sqrt(0.04 - 0.0004); a2 = 0.99 * 0.02 + 0.01 = 0.0298, d2 = sqrt(0.0496 - 0.0298^2)
        assertEquals(1 - 0.01 * 2 / Math.sqrt(0.0396), step(opt, p, 2f), 1e-6);
        assertEquals(0.85418746f, step(opt, p, 1f), 1e-6);
    }

    @Test void bothConvergeOnAQuadratic() {
        for (boolean rms : new boolean[] {false, true}) {
            Param p = scalar("w", 5f);
            Optimizer opt = rms ? new RmsProp(List.of(p), 0.05) : new AdaGrad(List.of(p), 0.5);
            for (int i = 0; i < 500; i++) step(opt, p, 2 * (p.value().get(0) - 3f)); // minimise (w - 3)^2
            assertEquals(3f, p.value().get(0), 0.05, rms ? "RMSProp" : "AdaGrad");
        }
    }
}
