package org.neurite.models.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neurite.layers.Mode;
import org.neurite.layers.Module;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/** W4's pieces are the workload's (no timing here: the benchmark is run by hand). */
class W4ResNet20Test {

    @Test void modelAndBatchAreW4s() {
        Module m = W4ResNet20.model(42);
        assertEquals(272_474, m.parameterCount());    // "about 0.27 M"
        Tensor[] b = W4ResNet20.batch(42);
        assertEquals(Shape.of(64, 3, 32, 32), b[0].shape());
        assertEquals(Shape.of(64), b[1].shape());
        for (int i = 0; i < 64; i++) {
            float y = b[1].get(i);
            assertTrue(y >= 0 && y < 10 && y == Math.rint(y), "label " + y);
        }
        assertEquals(Shape.of(64, 10), m.forward(b[0], Mode.TRAIN).shape());
    }

    @Test void profileListsTheLayerTypes() {
        Tensor x = Tensor.zeros(2, 3, 32, 32);
        String table = W4LayerProfile.report(W4ResNet20.model(1), x, 1);
        assertTrue(table.contains("Conv2d             21"), table);
        assertTrue(table.contains("BatchNorm2d        21"), table);
        assertTrue(table.contains("ReLU               19"), table);
    }
}
