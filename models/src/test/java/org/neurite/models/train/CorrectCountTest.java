package org.neurite.models.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurite.layers.Param;
import org.neurite.layers.loss.SoftmaxCrossEntropy;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/**
 * The trainer takes accuracy from the cross-entropy's own argmax instead of a second pass: the two
 * must count the same rows, ties (first index wins) included.
 */
class CorrectCountTest {
    @Test void crossEntropysCountEqualsCountCorrect() {
        Rng rng = new Rng(9);
        int n = 64, c = 10;
        Tensor logits = Tensor.zeros(n, c);
        float[] x = logits.data();
        for (int i = 0; i < x.length; i++) x[i] = rng.nextInt(4);   // few values: many ties
        Tensor targets = Tensor.zeros(n);
        for (int i = 0; i < n; i++) targets.data()[i] = rng.nextInt(c);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        loss.forward(logits, targets);
        int expected = Trainer.countCorrect(logits, targets);
        assertEquals(expected, loss.correct());
        assertEquals(true, expected > 0 && expected < n, "the case is not trivial: " + expected);
    }

    @Test void cpuGradientsAreCheckedOnTheHost() {
        Param p = new Param("w", Tensor.zeros(2), Tensor.wrap(Shape.of(2), new float[] {0, Float.NaN}));
        assertNull(NonFinite.commonDevice(List.of(p)));
        assertEquals("w", NonFinite.firstBadGradient(List.of(p)).name());
    }
}
