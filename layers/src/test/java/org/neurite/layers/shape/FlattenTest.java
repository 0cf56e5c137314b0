package org.neurite.layers.shape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.neurite.layers.GradCheck;
import org.neurite.layers.Mode;
import org.neurite.runtime.Rng;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

class FlattenTest {
    @Test void flattensWithoutCopying() {
        Flatten f = new Flatten();
        Tensor x = Tensor.zeros(2, 3, 4, 5);
        Tensor y = f.forward(x, Mode.TRAIN);
        assertEquals(Shape.of(2, 60), y.shape());
        assertEquals(Shape.of(7, 60), f.outputShape(Shape.of(7, 3, 4, 5)));
        assertSame(x.data(), y.data());
        assertSame(y, f.forward(x, Mode.TRAIN), "same input, same view");

        Tensor dy = Tensor.zeros(2, 60);
        Tensor dx = f.backward(dy);
        assertEquals(x.shape(), dx.shape());
        assertSame(dy.data(), dx.data());
        assertSame(dx, f.backward(dy));
    }

    @Test void gradientsMatchFiniteDifferences() {
        Rng rng = new Rng(2);
        Tensor x = Tensor.zeros(2, 2, 3, 3);
        rng.uniform(x.data(), 0, x.size(), -1f, 1f);
        GradCheck.standard().check(new Flatten(), x, Mode.TRAIN, 5);
    }
}
