package org.neurite.models.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/** Confusion matrix, precision, recall and top-k from hand-made logits. */
class EvaluationTest {
    @Test void figuresFromAHandMadeBatch() throws Exception {
        var ctor = Evaluation.class.getDeclaredConstructor(int.class);
        ctor.setAccessible(true);
        Evaluation e = ctor.newInstance(6);
        // Four samples, six classes. Row i: logits; the target is below.
        float[] logits = {
                9, 1, 0, 0, 0, 0,   // true 0, predicted 0
                9, 8, 0, 0, 0, 0,   // true 1, predicted 0 (true class 2nd: in the top 5)
                0, 0, 1, 2, 3, 4,   // true 0, predicted 5; class 0 ties with class 1 below 4 others: 4 higher -> top 5
                1, 2, 3, 4, 5, 6,   // true 0, predicted 5; 5 classes higher -> not in the top 5
        };
        Tensor out = Tensor.wrap(Shape.of(4, 6), logits);
        Tensor y = Tensor.wrap(Shape.of(4), new float[] {0, 1, 0, 0});
        e.add(out, y, 0.5);
        assertEquals(4, e.samples());
        assertEquals(0.5, e.loss());
        assertEquals(0.25, e.accuracy());
        assertEquals(0.75, e.topKAccuracy());
        long[][] c = e.confusion();
        assertArrayEquals(new long[] {1, 0, 0, 0, 0, 2}, c[0]);
        assertArrayEquals(new long[] {1, 0, 0, 0, 0, 0}, c[1]);
        assertEquals(0.5, e.precision(0));        // predicted 0 twice, right once
        assertEquals(1.0 / 3, e.recall(0));       // three zeros, one found
        assertEquals(0.0, e.precision(5));
        assertTrue(Double.isNaN(e.recall(5)));    // no sample of class 5
        assertTrue(Double.isNaN(e.precision(2))); // never predicted
        assertEquals(3, e.support(0));
    }
}
