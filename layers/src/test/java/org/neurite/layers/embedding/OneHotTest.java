package org.neurite.layers.embedding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.neurite.layers.Mode;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

class OneHotTest {
    @Test void encodesAndClearsTheLastCallsOnes() {
        OneHot oh = new OneHot(3);
        Tensor y = oh.forward(Tensor.wrap(Shape.of(2, 1), new float[] {2, 0}), Mode.TRAIN);
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0}, y.data());
        y = oh.forward(Tensor.wrap(Shape.of(2, 1), new float[] {1, 1}), Mode.TRAIN);
        assertArrayEquals(new float[] {0, 1, 0, 0, 1, 0}, y.data());
        assertNull(oh.backward(y));
    }

    @Test void rejectsNegativeIds() {
        assertThrows(IllegalArgumentException.class, () -> new OneHot(3).forward(Tensor.wrap(Shape.of(1), new float[] {-1}), Mode.TRAIN));
    }
}
