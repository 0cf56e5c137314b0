package org.neurite.models.selftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurite.runtime.Device;
import org.neurite.runtime.Shape;
import org.neurite.runtime.Tensor;

/** The parity harness itself, runnable without a GPU: CPU against CPU is exact, errors are measured right. */
class LayerParityTest {
    @Test void cpuAgainstCpuIsExactForEveryFamily() {
        List<LayerParity.Row> rows = LayerParity.run(Device.CPU, 0);
        for (LayerParity.Row r : rows) {
            assertTrue(r.ok(), r.toString());
            assertEquals(0.0, r.maxAbs(), r.toString());
        }
        // forward and dX per family (forward only for embedding and one-hot: ids have no gradient),
        // plus one row per parameter gradient: conv x2 (w, b), dense (w, b), conv+bn+relu (conv w, b;
        // bn w, b), dense+relu (w, b), residual conv (w, b),
        // residual with projection (body w, b; shortcut w, b), batch norm 2d and 1d (w, b each),
        // LSTM, GRU, RNN, BiLSTM (flat weights each), embedding (weight); concat (2 convs: w, b each),
        // dense block (2 layers: norm1 w, b, conv1, norm2 w, b, conv2), subsampling (w, b),
        // partial conv (w, b), time-distributed dense (w, b).
        int families = LayerParity.families().size();
        assertEquals(2 * families - 2 + 2 + 2 + 2 + 4 + 2 + 2 + 4 + 2 + 2 + 4 + 1 + 4 + 12 + 2 + 2 + 2, rows.size());
        assertTrue(rows.stream().anyMatch(r -> r.family().equals("Embedding") && r.what().equals("dweight")));
        assertTrue(rows.stream().noneMatch(r -> r.family().equals("OneHot") && r.what().equals("dX")));
        assertTrue(rows.stream().anyMatch(r -> r.family().equals("BatchNorm2d") && r.what().equals("dweight")));
    }

    @Test void errorsAreAbsoluteAndRelativeAndScaledByTheLargestExpectedValue() {
        Tensor expected = Tensor.wrap(Shape.of(3), new float[] {1f, -4f, 2f});
        Tensor actual = Tensor.wrap(Shape.of(3), new float[] {1f, -4.5f, 2.25f});
        LayerParity.Row r = LayerParity.row("f", "forward", expected, actual, 0.125);
        assertEquals(0.5, r.maxAbs(), 0);                  // |-4 - -4.5|
        assertEquals(0.125, r.maxRel(), 0);                // 0.5 / 4 and 0.25 / 2
        assertTrue(r.ok(), "0.5 <= 0.125 * max(1, 4)");
        assertFalse(LayerParity.row("f", "forward", expected, actual, 0.12).ok(), "0.5 > 0.12 * 4");
        Tensor nan = Tensor.wrap(Shape.of(3), new float[] {1f, Float.NaN, 2f});
        assertFalse(LayerParity.row("f", "forward", expected, nan, 1).ok());
    }
}
