package org.neurite.layers.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.neurite.runtime.TensorAsserts.assertClose;

import org.junit.jupiter.api.Test;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

class OtherLossesTest {
    private static Tensor t(Shape s, float... v) { return Tensor.wrap(s, v); }

    @Test void binaryCrossEntropyHandComputed() {
        BinaryCrossEntropy bce = new BinaryCrossEntropy();
        // x = 0, t = 1: log 2. x = 2, t = 0: log(1 + e^2) = 2.12692801.
        double loss = bce.forward(t(Shape.of(2, 1), 0, 2), t(Shape.of(2), 1, 0));
        assertEquals((Math.log(2) + 2.12692801) / 2, loss, 1e-6);
        // (sigmoid(x) - t) / 2
        assertClose("grad", new float[] {-0.25f, 0.88079708f / 2}, bce.backward().data(), 1e-6, 0);
        // Stable for large logits: x = -100, t = 1 gives 100, not inf.
        assertEquals(100, bce.forward(t(Shape.of(1), -100), t(Shape.of(1), 1)), 1e-4);
    }

    @Test void binaryCrossEntropyGradient() {
        Rng rng = new Rng(1);
        Tensor x = Tensor.zeros(3, 2);
        rng.uniform(x.data(), 0, x.size(), -3f, 3f);
        LossGradCheck.check(new BinaryCrossEntropy(), x, t(Shape.of(3, 2), 0, 1, 0.3f, 1, 0, 0.5f), 1e-2, 1e-2, 1e-4);
        assertThrows(IllegalArgumentException.class, () -> new BinaryCrossEntropy().forward(x, t(Shape.of(6), 0, 1, 2, 1, 0, 0)));
    }

    @Test void meanSquaredErrorHandComputed() {
        MeanSquaredError mse = new MeanSquaredError();
        assertEquals((1 + 4 + 0 + 9) / 4.0, mse.forward(t(Shape.of(2, 2), 1, 2, 3, 4), t(Shape.of(2, 2), 0, 0, 3, 7)), 1e-9);
        assertClose("grad", new float[] {0.5f, 1f, 0f, -1.5f}, mse.backward().data(), 1e-6, 0);
    }

    @Test void meanSquaredErrorGradient() {
        Rng rng = new Rng(2);
        Tensor x = Tensor.zeros(2, 3);
        Tensor y = Tensor.zeros(2, 3);
        rng.uniform(x.data(), 0, x.size(), -1f, 1f);
        rng.uniform(y.data(), 0, y.size(), -1f, 1f);
        LossGradCheck.check(new MeanSquaredError(), x, y, 1e-2, 1e-2, 1e-4);
    }

    @Test void multiMarginHandComputed() {
        MultiMarginHinge hinge = new MultiMarginHinge();
        // x = [0.1, 0.2, 0.4, 0.8], y = 3 (PyTorch's MultiMarginLoss doc example):
        // (max(0, 1-0.8+0.1) + max(0, 1-0.8+0.2) + max(0, 1-0.8+0.4)) / 4 = 0.325
        assertEquals(0.325, hinge.forward(t(Shape.of(1, 4), 0.1f, 0.2f, 0.4f, 0.8f), t(Shape.of(1), 3)), 1e-6);
        assertClose("grad", new float[] {0.25f, 0.25f, 0.25f, -0.75f}, hinge.backward().data(), 1e-6, 0);
    }

    @Test void multiMarginGradient() {
        // Margins 1 - x_y + x_j kept well away from 0 so the finite difference sees no kink.
        Tensor x = t(Shape.of(2, 3), 0.3f, -2.5f, 1.1f, 0.9f, 2.0f, -0.4f);
        LossGradCheck.check(new MultiMarginHinge(), x, t(Shape.of(2), 2, 1), 1e-2, 1e-2, 1e-4);
    }
}
