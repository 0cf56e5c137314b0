package org.neurite.layers.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.neurite.runtime.TensorAsserts.assertClose;

import org.junit.jupiter.api.Test;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

class SoftmaxCrossEntropyTest {
    private static Tensor t(Shape s, float... v) { return Tensor.wrap(s, v); }

    @Test void handComputedLoss() {
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        // log(e^1 + e^2 + e^3) - 3
        double loss = ce.forward(t(Shape.of(1, 3), 1, 2, 3), t(Shape.of(1), 2));
        assertEquals(0.40760596, loss, 1e-6);
        // softmax - onehot: [0.09003057, 0.24472847, 0.66524096 - 1]
        assertClose("grad", new float[] {0.09003057f, 0.24472847f, -0.33475904f}, ce.backward().data(), 1e-5, 1e-7);
    }

    @Test void uniformLogitsGiveLogC() {
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        Tensor logits = Tensor.zeros(4, 10);
        logits.fill(3.7f);
        assertEquals(Math.log(10), ce.forward(logits, t(Shape.of(4), 0, 3, 9, 5)), 1e-6);
    }

    @Test void largeLogitsStayFinite() {
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        double loss = ce.forward(t(Shape.of(1, 3), 1000, 2000, 3000), t(Shape.of(1), 0));
        assertEquals(2000, loss, 1e-3);
        assertClose("grad", new float[] {-1, 0, 1}, ce.backward().data(), 0, 1e-6);
    }

    @Test void gradientIsMeanOverBatchAndMatchesFiniteDifferences() {
        Rng rng = new Rng(3);
        Tensor logits = Tensor.zeros(4, 5);
        rng.uniform(logits.data(), 0, logits.size(), -2f, 2f);
        Tensor target = t(Shape.of(4), 1, 0, 4, 4);
        LossGradCheck.check(new SoftmaxCrossEntropy(), logits, target, 1e-2, 1e-2, 1e-4);
    }

    @Test void backwardTwiceReturnsTheSameGradient() {
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        ce.forward(t(Shape.of(2, 2), 0, 1, 1, 0), t(Shape.of(2), 1, 1));
        float[] g = ce.backward().data().clone();
        assertSame(ce.backward(), ce.backward());
        assertClose("grad", g, ce.backward().data(), 0, 0);
    }

    @Test void countsCorrectPredictions() {
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        ce.forward(t(Shape.of(3, 3), 0, 5, 1, 9, 0, 0, 1, 1, 2), t(Shape.of(3), 1, 1, 2));
        assertArrayEquals(new int[] {1, 0, 2}, ce.predictions());
        assertEquals(2, ce.correct());
        assertEquals(3, ce.count());
        assertEquals(1, SoftmaxCrossEntropy.argmax(t(Shape.of(2, 2), 0, 1, 1, 0), 0));
    }

    @Test void rejectsTargetsThatAreNotClassIndices() {
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        Tensor logits = Tensor.zeros(2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ce.forward(logits, t(Shape.of(2), 0, 3)));
        assertTrue(e.getMessage().contains("target[1] = 3.0") && e.getMessage().contains("[0, 3)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ce.forward(logits, t(Shape.of(2), 0.5f, 1)));
        assertThrows(IllegalArgumentException.class, () -> ce.forward(logits, t(Shape.of(2), -1, 1)));
        assertThrows(IllegalArgumentException.class, () -> ce.forward(logits, t(Shape.of(3), 0, 1, 2)));
    }

    @Test void sequenceOutputsAreRows() {
        // [T=2, N=1, C=3] is two rows.
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        double loss = ce.forward(t(Shape.of(2, 1, 3), 1, 2, 3, 0, 0, 0), t(Shape.of(2, 1), 2, 0));
        assertEquals((0.40760596 + Math.log(3)) / 2, loss, 1e-6);
    }
}
