package org.neurite.models.train;

import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.neurite.runtime.Device;
import org.neurite.runtime.Tensor;

/** On the CPU, batches pass through untouched: a CPU run stays exactly what it was. */
class DeviceBatchesTest {
    @Test void cpuHandsTheHostTensorsThrough() {
        Tensor x = Tensor.zeros(4, 1, 28, 28);
        Tensor y = Tensor.zeros(4);
        try (DeviceBatches b = new DeviceBatches(Device.CPU)) {
            assertSame(x, b.inputs(x));
            assertSame(y, b.targets(y));
            assertSame(Device.CPU, b.device());
        }
    }
}
