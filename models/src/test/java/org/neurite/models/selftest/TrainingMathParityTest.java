package org.neurite.models.selftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurite.runtime.Device;

/** The training-math harness without a GPU: CPU against CPU is exact, and every row is there. */
class TrainingMathParityTest {
    @Test void cpuAgainstCpuIsExactForEveryLossOptimizerAndClipping() {
        List<LayerParity.Row> rows = TrainingMathParity.run(Device.CPU, 0);
        for (LayerParity.Row r : rows) {
            assertTrue(r.ok(), r.toString());
            assertEquals(0.0, r.maxAbs(), r.toString());
        }
        // 4 losses x (loss, dX); optimizers: weights + state (SGD 1, Adam 2, AdamW 2, AdaGrad 1,
        // centered RMSProp with momentum 3); clipping: norm + 2 gradients.
        assertEquals(4 * 2 + (1 + 1) + (1 + 2) + (1 + 2) + (1 + 1) + (1 + 3) + 3, rows.size());
        assertTrue(rows.stream().anyMatch(r -> r.family().equals("RMSProp centered") && r.what().equals("grad_avg")), rows.toString());
    }
}
