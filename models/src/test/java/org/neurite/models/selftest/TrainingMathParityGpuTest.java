package org.neurite.models.selftest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neurite.runtime.cuda.CudaDevice;
import org.neurite.runtime.cuda.GpuTest;

/** On a GPU: what {@code neurite selftest} prints for the losses, optimizers and clipping is all "ok" at 1e-4. */
@GpuTest
class TrainingMathParityGpuTest {
    @Test void everyLossOptimizerAndClippingMatchesTheCpu() {
        for (LayerParity.Row row : TrainingMathParity.run(CudaDevice.shared(0), 1e-4)) assertTrue(row.ok(), row.toString());
    }
}
