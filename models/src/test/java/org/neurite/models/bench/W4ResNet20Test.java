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
        assertEquals(21, layers(table, "Conv2d"), table);
        assertEquals(21, layers(table, "BatchNorm2d"), table);
        assertEquals(19, layers(table, "ReLU"), table);
        assertTrue(table.matches("(?s).*# Conv2d 16x32x32 -> 16x32x32 +6 .*"), "stage 1's six 3x3 convolutions in one row:\n" + table);
        assertTrue(table.matches("(?s).*# Conv2d 32x16x16 -> 64x8x8 +2 .*"), "stage 3's 3x3 and 1x1 stride-2 entries:\n" + table);
    }

    /** The layers of one type in the table: the counts of its rows (one row per shape) added up. */
    private static int layers(String table, String type) {
        int sum = 0;
        for (String line : table.split("\n")) {
            if (!line.startsWith("# " + type + " ")) continue;
            String[] cols = line.substring(2).split(" +");
            sum += Integer.parseInt(cols[cols.length - 3]);
        }
        return sum;
    }
}
